"""Data settings that do not reach the dataloaders are refused."""
import os.path as osp

import pytest
from mmengine import Config

from alrp_mmdet.utils import (DataConfigError, check_data_settings,
                              data_setting_problems)
from ..conftest import DEMO_CONFIG, REPO, repository_configs


@pytest.mark.parametrize('path', repository_configs())
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
    # the demo also sets metainfo from its classes: that one stayed too
    assert problems[0] == ("metainfo.classes is ('rectangle', 'ellipse', "
                           "'triangle'), classes is ('a', 'b', 'c')")
    assert len(problems) == 10
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


OWN_DATA = osp.join(REPO, 'configs', 'own_data', 'alrp_atss_tiny_own_data.py')


def test_a_top_level_metainfo_over_the_own_data_config_is_refused():
    # written on top of the own-data config, it changed nothing
    cfg = Config.fromfile(OWN_DATA)
    cfg.metainfo = dict(classes=('bus', 'car'))
    problems = data_setting_problems(cfg)
    assert problems[0] == ("metainfo.classes is ('bus', 'car'), classes is "
                           "('cat', 'dog')")
    assert ("train_dataloader.dataset.metainfo.classes is ('cat', 'dog'), "
            "metainfo.classes is ('bus', 'car')") in problems


def test_an_image_size_pair_is_checked_too():
    cfg = Config.fromfile(OWN_DATA)
    cfg.image_size = (96, 96)
    assert ('a Resize of train_dataloader.dataset.pipeline has scale '
            '(256, 256), image_size is (96, 96)') in data_setting_problems(cfg)
    cfg.image_size = (256, 256)
    assert data_setting_problems(cfg) == []
