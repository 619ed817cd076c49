import json
import os.path as osp
import pickle

from ..conftest import DEMO_CONFIG, TEST, TRAIN, TRAIN_OVERRIDES, run_tool


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
                       '--cfg-options', 'model.test_cfg.score_thr=0.0'],
                      synthetic_root)
    assert 'Load checkpoint' in output
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
