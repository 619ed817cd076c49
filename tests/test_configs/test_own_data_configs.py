"""Every family's own-data configs (configs/own_data/) train and test
through the tools on generated data unlike the demo's: 4 classes, 80 px
images, up to 5 objects. (The ATSS ones: tests/test_docs.)"""
import os
import os.path as osp

import pytest
from mmengine import Config

from alrp_mmdet.datasets import generate_dataset
from ..conftest import REPO, TEST, TRAIN, copy_own_data_configs, run_tool

CLASSES = ('rectangle', 'ellipse', 'triangle', 'cross')
#: family -> (baseline, ranking variants or more baselines); the second
#: config is tested with tools/test.py too
FAMILIES = {
    'atss_quality_aware': ('gfl', 'vfnet', 'tood'),
    'fcos': ('fcos_focal', 'alrp_fcos', 'rs_fcos'),
    'rtmdet': ('rtmdet_qfl', 'alrp_rtmdet', 'rs_rtmdet'),
    'dino': ('dino_focal', 'alrp_dino', 'rs_dino', 'dino_qfl'),
    'faster_rcnn': ('faster_rcnn', 'alrp_faster_rcnn', 'rs_faster_rcnn'),
    'mask_rcnn': ('mask_rcnn', 'rs_mask_rcnn'),
}
CONFIGS = [name for names in FAMILIES.values() for name in names]
TESTED = [names[1] for names in FAMILIES.values()]


def test_every_own_data_config_is_covered():
    listed = {f'{name}_tiny_own_data.py' for name in CONFIGS} | {
        f'{name}_tiny_own_data.py'
        for name in ('atss_focal', 'alrp_atss', 'rs_atss')}
    on_disk = {name for name in os.listdir(osp.join(REPO, 'configs',
                                                    'own_data'))
               if name.endswith('_own_data.py')}
    assert on_disk == listed


@pytest.fixture(scope='module')
def own_data(tmp_path_factory):
    root = tmp_path_factory.mktemp('own_data_families')
    generate_dataset(str(root / 'data' / 'shapes'), dict(train=4, val=2),
                     image_size=80, num_classes=4, max_objects=5)
    copy_own_data_configs(root, data_root='data/shapes/', classes=CLASSES,
                          image_size=80, batch_size=2)
    return root


def class_counts(model):
    """num_classes of every box and mask head of a model config."""
    heads = [model.get('bbox_head'),
             (model.get('roi_head') or {}).get('bbox_head'),
             (model.get('roi_head') or {}).get('mask_head')]
    return [head['num_classes'] for head in heads if head]


@pytest.mark.parametrize('name', CONFIGS)
def test_trains_validates_and_tests_on_other_data(own_data, name):
    config = f'configs/my_data/{name}_tiny_own_data.py'
    work_dir = own_data / 'work_dirs' / name
    output = run_tool([TRAIN, config, '--work-dir', str(work_dir),
                       '--cfg-options', 'train_cfg.max_epochs=1',
                       'train_cfg.val_interval=1', 'randomness.seed=0'],
                      own_data)
    assert 'Epoch(val) [1][1/1]' in output, output[-3000:]
    dumped = Config.fromfile(str(work_dir / f'{name}_tiny_own_data.py'))
    assert set(class_counts(dumped.model)) == {4}
    assert dumped.train_dataloader.dataset.metainfo.classes == CLASSES
    if name in TESTED:
        output = run_tool([TEST, config, str(work_dir / 'epoch_1.pth'),
                           '--work-dir', str(own_data / 'test' / name)],
                          own_data)
        assert 'Epoch(test) [1/1]' in output, output[-3000:]


def test_fcos_regress_ranges_follow_the_image_size(own_data):
    model = Config.fromfile(str(own_data / 'configs' / 'my_data' /
                                'fcos_focal_tiny_own_data.py')).model
    assert model.bbox_head.regress_ranges == ((-1, 26), (26, 53), (53, 1e8))
