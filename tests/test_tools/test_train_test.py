import glob
import json
import os.path as osp
import pickle

import mmcv
import pytest
import torch

from alrp_mmdet.visualization.captioned_visualizer import CAPTION_HEIGHT
from ..conftest import (DEMO_CONFIG, REPO, TEST, TRAIN, TRAIN_OVERRIDES,
                        run_tool, train_one_epoch)

CORRELATION = osp.join(REPO, 'tools', 'analysis_tools', 'correlation.py')


def test_train_then_test_with_coco_metrics(synthetic_root, tmp_path):
    work_dir = str(tmp_path / 'work')
    output = run_tool([TRAIN, DEMO_CONFIG, '--work-dir', work_dir,
                       '--cfg-options'] + TRAIN_OVERRIDES +
                      ['train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
                       'model.test_cfg.score_thr=0.0'],
                      synthetic_root)
    assert 'loss_cls' in output and 'sb_weight' in output
    assert 'coco/bbox_mAP' in output  # validation ran
    checkpoint = osp.join(work_dir, 'epoch_1.pth')
    assert osp.exists(checkpoint)
    preds = str(tmp_path / 'preds.pkl')
    output = run_tool([TEST, DEMO_CONFIG, checkpoint, '--work-dir',
                       str(tmp_path / 'test'), '--out', preds,
                       '--show-dir', 'painted', '--cfg-options',
                       'model.test_cfg.score_thr=0.0'],
                      synthetic_root)
    assert 'Load checkpoint' in output
    painted = glob.glob(str(tmp_path / 'test' / '*' / 'painted' / '*.png'))
    assert len(painted) == 16  # every val image, drawn by mmdet's hook
    # 96 px images enlarged 5x, ground truth | detections under captions
    assert mmcv.imread(painted[0]).shape == (CAPTION_HEIGHT + 480, 960, 3)
    run_dir = osp.dirname(osp.dirname(painted[0]))
    assert f'metrics and log: {run_dir}\n' in output
    assert f'painted images: {osp.join(run_dir, "painted")}\n' in output
    assert f'predictions (pickle): {preds}\n' in output
    assert 'coco/bbox_mAP_50' in output and 'coco/bbox_mAP_75' in output
    with open(preds, 'rb') as f:
        results = pickle.load(f)
    assert len(results) == 16
    first = results[0]['pred_instances']
    assert first['bboxes'].shape[1] == 4
    assert len(first['scores']) == len(first['labels'])
    with open(osp.join(synthetic_root, 'data', 'synthetic', 'annotations',
                       'instances_val.json')) as f:
        assert len(json.load(f)['images']) == 16


def train_then_predict(config, synthetic_root, tmp_path, test_options):
    """One epoch of ``config`` with tools/train.py, then tools/test.py on the
    synthetic val images; returns (train output, test output, checkpoint,
    predictions)."""
    output, checkpoint = train_one_epoch(config, synthetic_root,
                                         tmp_path / 'work')
    preds = str(tmp_path / 'preds.pkl')
    test_output = run_tool([TEST, config, checkpoint, '--work-dir',
                            str(tmp_path / 'test'), '--out', preds,
                            '--cfg-options'] + test_options, synthetic_root)
    with open(preds, 'rb') as f:
        return output, test_output, checkpoint, pickle.load(f)


def assert_valid_detections(results, num_classes=3):
    assert len(results) == 16
    num_detections = 0
    for result in results:
        pred = result['pred_instances']
        bboxes, scores, labels = pred['bboxes'], pred['scores'], pred['labels']
        assert bboxes.shape == (len(scores), 4) and len(labels) == len(scores)
        assert (bboxes[:, 2:] >= bboxes[:, :2]).all()
        assert ((scores >= 0) & (scores <= 1)).all()
        assert ((labels >= 0) & (labels < num_classes)).all()
        num_detections += len(scores)
    assert num_detections > 0


def test_alrp_fovea_trains_and_predicts(synthetic_root, tmp_path):
    config = osp.join(REPO, 'configs', 'demo', 'alrp_fovea_tiny_synthetic.py')
    output, test_output, checkpoint, results = train_then_predict(
        config, synthetic_root, tmp_path,
        ['model.test_cfg.score_thr=0.0', 'test_evaluator.type=LRPMetric'])
    assert 'loss_cls' in output
    assert 'SB weight of bbox_head.loss_cls is now' in output
    assert_valid_detections(results)
    for key in ('lrp/bbox_mAP', 'lrp/bbox_AP90', 'lrp/oLRP', 'lrp/oLRP_loc',
                'lrp/oLRP_FP', 'lrp/oLRP_FN'):
        assert key in test_output  # LRPMetric in place of CocoMetric
    out_dir = tmp_path / 'correlation'
    output = run_tool([CORRELATION, config, checkpoint, '--out-dir',
                       str(out_dir), '--cfg-options',
                       'model.test_cfg.score_thr=0.0'], synthetic_root)
    assert 'rho (mean over' in output
    with open(out_dir / 'correlation.json') as f:
        summary = json.load(f)
    assert set(summary['per_class']) == {'rectangle', 'ellipse', 'triangle'}
    assert summary['tau'] == 0.5
    assert (out_dir / 'correlation.png').stat().st_size > 0


def test_alrp_faster_rcnn_trains_both_sb_weights_and_predicts(
        synthetic_root, tmp_path):
    config = osp.join(REPO, 'configs', 'demo',
                      'alrp_faster_rcnn_tiny_synthetic.py')
    output, _, checkpoint, results = train_then_predict(
        config, synthetic_root, tmp_path,
        ['model.test_cfg.rcnn.score_thr=0.0'])
    assert 'loss_rpn_cls' in output and 'rpn_sb_weight' in output
    state = torch.load(checkpoint, map_location='cpu',
                       weights_only=True)['state_dict']
    weights = {key: float(value) for key, value in state.items()
               if key.endswith('sb_weight')}
    assert set(weights) == {'rpn_head.loss_cls.sb_weight',
                            'roi_head.bbox_head.loss_cls.sb_weight'}
    for name, weight in weights.items():
        assert weight != 50.0, name  # updated at the epoch end
        assert f'SB weight of {name[:-len(".sb_weight")]} is now' in output
    assert len(set(weights.values())) == 2
    assert_valid_detections(results)


@pytest.mark.parametrize('name, logged', [
    ('alrp_fcos', 'SB weight of bbox_head.loss_cls is now'),
    ('rs_fcos', 'bbox_weight'),
    ('rs_rtmdet', 'bbox_weight'),
])
def test_fcos_and_rtmdet_ranking_heads_train_and_predict(
        name, logged, synthetic_root, tmp_path):
    # (aLRP RTMDet trains in the SB tests, with EMA and a pipeline switch)
    config = osp.join(REPO, 'configs', 'demo', f'{name}_tiny_synthetic.py')
    output, _, checkpoint, results = train_then_predict(
        config, synthetic_root, tmp_path, ['model.test_cfg.score_thr=0.0'])
    assert logged in output
    state = torch.load(checkpoint, map_location='cpu',
                       weights_only=True)['state_dict']
    assert not any('centerness' in key for key in state)
    assert_valid_detections(results)


def test_rs_dino_trains_and_predicts(synthetic_root, tmp_path):
    config = osp.join(REPO, 'configs', 'demo', 'rs_dino_tiny_synthetic.py')
    output, _, _, results = train_then_predict(
        config, synthetic_root, tmp_path, ['model.test_cfg.max_per_img=30'])
    for key in ('loss_cls', 'd0.loss_cls', 'enc_loss_cls', 'dn_loss_cls'):
        assert f' {key}: ' in output
    assert_valid_detections(results)
    assert all(len(r['pred_instances']['scores']) == 30 for r in results)


def test_rs_mask_rcnn_trains_and_predicts_masks(synthetic_root, tmp_path):
    # the synthetic generator writes instance masks as COCO polygons
    config = osp.join(REPO, 'configs', 'demo',
                      'rs_mask_rcnn_tiny_synthetic.py')
    output, test_output, _, results = train_then_predict(
        config, synthetic_root, tmp_path,
        ['model.test_cfg.rcnn.score_thr=0.0'])
    assert ' loss_mask: ' in output and ' loss_rank: ' in output
    assert 'coco/segm_mAP' in test_output
    assert_valid_detections(results)
    masks = [r['pred_instances']['masks'] for r in results]
    assert all(len(m) == len(r['pred_instances']['scores'])
               for m, r in zip(masks, results))
