"""Data settings that do not reach the dataloaders are refused."""
import glob
import os.path as osp

import pytest
from mmengine import Config

from alrp_mmdet.utils import (DataConfigError, check_data_settings,
                              data_setting_problems)
from ..conftest import DEMO_CONFIG, REPO


@pytest.mark.parametrize('path', sorted(
    p for p in glob.glob(osp.join(REPO, 'configs', '**', '*.py'),
                         recursive=True) if '_base_' not in p))
def test_every_config_of_the_repository_passes(path):
    assert data_setting_problems(Config.fromfile(path)) == []


def test_top_level_data_settings_on_top_of_the_demo_are_refused():
    # what a user writes on top of a demo config: only the variables change
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.data_root = 'data/mine/'
    cfg.classes = ('a', 'b', 'c')
    cfg.image_size = 256
    problems = data_setting_problems(cfg)
    for loader in ('train', 'val', 'test'):
        key = f'{loader}_dataloader.dataset'
        assert (f"{key}.data_root is 'data/synthetic/', data_root is "
                "'data/mine/'") in problems
        assert (f"{key}.metainfo.classes is ('rectangle', 'ellipse', "
                "'triangle'), classes is ('a', 'b', 'c')") in problems
        assert (f'a Resize of {key}.pipeline has scale (96, 96), '
                'image_size is 256') in problems
    assert len(problems) == 9
    with pytest.raises(DataConfigError,
                       match='(?s)do not reach.*configs/own_data/'
                       'coco_format_data.py'):
        check_data_settings(cfg)


def test_an_evaluator_scoring_another_annotation_file_is_refused():
    cfg = Config.fromfile(DEMO_CONFIG)
    cfg.val_dataloader.dataset.data_root = 'data/synthetic/'
    cfg.test_evaluator = dict(cfg.test_evaluator,
                              ann_file='data/other/annotations/val.json')
    assert data_setting_problems(cfg) == [
        "test_evaluator.ann_file is 'data/other/annotations/val.json', "
        "test_dataloader.dataset reads "
        "'data/synthetic/annotations/instances_val.json'"]


def test_wrapped_datasets_are_checked_and_named():
    cfg = Config.fromfile(DEMO_CONFIG)
    inner = cfg.train_dataloader.dataset
    cfg.train_dataloader.dataset = dict(
        type='ConcatDataset',
        datasets=[inner, dict(type='RepeatDataset', times=2,
                              dataset=dict(inner, data_root='data/b/'))])
    assert data_setting_problems(cfg) == [
        "train_dataloader.dataset.datasets.1.dataset.data_root is "
        "'data/b/', data_root is 'data/synthetic/'"]


def test_a_config_without_top_level_settings_is_not_checked_against_them():
    cfg = Config(dict(train_dataloader=dict(dataset=dict(
        data_root='data/x/', ann_file='a.json', pipeline=[
            dict(type='Resize', scale=(1333, 800))]))))
    assert data_setting_problems(cfg) == []
