import json
import os.path as osp
import shutil
import zipfile

import pytest

from alrp_mmdet.utils import apply_testdev
from mmengine import Config
from ..conftest import DEMO_CONFIG, REPO, TEST, run_tool, train_one_epoch

TESTDEV_CONFIG = osp.join(REPO, 'configs', '_base_', 'datasets',
                          'coco_testdev.py')


def make_testdev_layout(data_root):
    """COCO's test-dev layout from the synthetic val split: images in
    test2017/ and an image-info file without annotations."""
    with open(osp.join(data_root, 'annotations', 'instances_val.json')) as f:
        val = json.load(f)
    info = dict(images=val['images'], categories=val['categories'])
    with open(osp.join(data_root, 'annotations',
                       'image_info_test-dev2017.json'), 'w') as f:
        json.dump(info, f)
    shutil.copytree(osp.join(data_root, 'val'),
                    osp.join(data_root, 'test2017'), dirs_exist_ok=True)
    return info


def test_testdev_submission_end_to_end_with_two_processes(
        synthetic_root, tmp_path):
    info = make_testdev_layout(osp.join(synthetic_root, 'data', 'synthetic'))
    _, checkpoint = train_one_epoch(DEMO_CONFIG, synthetic_root,
                                    tmp_path / 'work')
    out_dir = str(tmp_path / 'testdev')
    output = run_tool([TEST, DEMO_CONFIG, checkpoint,
                       '--work-dir', out_dir, '--test-dev', 'alrp_tiny',
                       '--launcher', 'pytorch', '--cfg-options',
                       'model.test_cfg.score_thr=0.0'], synthetic_root,
                      nproc=2)
    name = 'detections_test-dev2017_alrp_tiny_results'
    assert f'COCO test-dev submission: {osp.join(out_dir, name)}.zip ' \
        '(upload this zip)' in output
    assert output.count('COCO test-dev submission') == 1  # rank 0 only
    with zipfile.ZipFile(osp.join(out_dir, f'{name}.zip')) as zf:
        assert zf.namelist() == [f'{name}.json']
        detections = json.loads(zf.read(f'{name}.json'))
    image_ids = {image['id'] for image in info['images']}
    category_ids = {cat['id'] for cat in info['categories']}
    assert {d['image_id'] for d in detections} == image_ids  # both ranks
    for detection in detections:
        assert detection['category_id'] in category_ids
        x, y, w, h = detection['bbox']
        assert w >= 0 and h >= 0 and 0 <= detection['score'] <= 1


def test_testdev_keeps_the_configs_scale_and_root_and_drops_annotations():
    cfg = Config.fromfile(osp.join(
        REPO, 'configs', 'alrp_loss',
        'alrp_loss_retinanet_r101_fpn_ATSS_100e_coco800.py'))
    cfg.work_dir = 'work_dirs/x'
    prefix = apply_testdev(cfg, 'alrp800', TESTDEV_CONFIG)
    assert prefix == 'work_dirs/x/detections_test-dev2017_alrp800_results'
    dataset = cfg.test_dataloader.dataset
    assert dataset.ann_file == 'annotations/image_info_test-dev2017.json'
    assert dataset.data_prefix == dict(img='test2017/') and dataset.test_mode
    steps = [step.type for step in dataset.pipeline]
    assert 'LoadAnnotations' not in steps
    assert dataset.pipeline[steps.index('Resize')].scale == (1333, 800)
    evaluator = cfg.test_evaluator
    assert evaluator.type == 'CocoMetric' and evaluator.format_only
    assert evaluator.ann_file == \
        'data/coco/annotations/image_info_test-dev2017.json'
    with pytest.raises(ValueError, match='method name'):
        apply_testdev(cfg, 'my method', TESTDEV_CONFIG)
