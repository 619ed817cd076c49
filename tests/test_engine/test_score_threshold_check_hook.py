"""ScoreThresholdCheckHook: images with objects but no detection."""
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData
from torch import nn

from alrp_mmdet.engine import ScoreThresholdCheckHook
from alrp_mmdet.models.losses import ALRPLoss, APLoss, RankSortLoss
from mmdet.models.losses import FocalLoss
from mmdet.structures import DetDataSample


class Logger:
    def __init__(self):
        self.warnings = []

    def warning(self, message):
        self.warnings.append(message)


def runner_with(test_cfg, loss_cls=None):
    """A runner whose model has ``test_cfg`` and, given one, a head with
    that classification loss."""
    model = nn.Module()
    model.test_cfg = ConfigDict(test_cfg)
    if loss_cls is not None:
        model.bbox_head = nn.Module()
        model.bbox_head.loss_cls = loss_cls
    return SimpleNamespace(model=model, logger=Logger())


def sample(num_objects, scores):
    data_sample = DetDataSample()
    data_sample.gt_instances = InstanceData(
        bboxes=torch.zeros(num_objects, 4),
        labels=torch.zeros(num_objects, dtype=torch.long))
    data_sample.pred_instances = InstanceData(
        bboxes=torch.zeros(len(scores), 4), scores=torch.tensor(scores),
        labels=torch.zeros(len(scores), dtype=torch.long))
    return data_sample


def run_epoch(hook, runner, batches, phase='val'):
    getattr(hook, f'before_{phase}_epoch')(runner)
    for index, outputs in enumerate(batches):
        getattr(hook, f'after_{phase}_iter')(runner, index, outputs=outputs)
    getattr(hook, f'after_{phase}_epoch')(runner, metrics={})


def test_counts_images_with_objects_but_no_detection():
    hook, runner = ScoreThresholdCheckHook(), runner_with(
        dict(score_thr=0.05, nms_pre=1000), RankSortLoss())
    batches = [[sample(2, [0.9, 0.2]), sample(1, [])],
               [sample(3, []), sample(0, []), sample(1, [0.06])]]
    run_epoch(hook, runner, batches)
    assert runner.logger.warnings == [
        '2 of 4 validation images with ground-truth objects got no '
        'detection above the test threshold (score_thr 0.05, '
        'model.test_cfg.score_thr). This run trains with Rank & Sort Loss, '
        'a ranking loss: it fixes the order of the scores, not their '
        'level, so correct detections can score below the threshold; to '
        'see them, evaluate with --cfg-options model.test_cfg.score_thr=0.0'
        ' (docs/faq.md, "Rank & Sort scores and the test threshold").']


@pytest.mark.parametrize('loss, named', [
    (ALRPLoss(), 'This run trains with aLRP Loss, a ranking loss'),
    (APLoss(), 'This run trains with AP Loss, a ranking loss'),
    (FocalLoss(), 'The detector scored every box of these images at or '
     'below the threshold (classification loss: FocalLoss); to see them, '
     'evaluate with --cfg-options model.test_cfg.score_thr=0.0.'),
])
def test_names_the_loss_of_the_run(loss, named):
    hook, runner = ScoreThresholdCheckHook(), runner_with(
        dict(score_thr=0.05), loss)
    run_epoch(hook, runner, [[sample(1, [])]])
    assert named in runner.logger.warnings[0]
    assert ('Rank & Sort' in runner.logger.warnings[0]) == \
        isinstance(loss, RankSortLoss)


def test_no_threshold_advice_when_the_threshold_is_already_zero():
    hook, runner = ScoreThresholdCheckHook(), runner_with(
        dict(score_thr=0.0), RankSortLoss())
    run_epoch(hook, runner, [[sample(1, [])]])
    warning, = runner.logger.warnings
    assert 'score_thr=0.0' not in warning
    assert ('The threshold is already 0 and mmdet keeps scores greater '
            'than it: every score of these images is 0') in warning


def test_names_the_rcnn_threshold_and_counts_each_epoch_afresh():
    hook, runner = ScoreThresholdCheckHook(), runner_with(
        dict(rpn=dict(score_thr=0.0), rcnn=dict(score_thr=0.4)))
    run_epoch(hook, runner, [[sample(1, [])]], phase='test')
    assert runner.logger.warnings[0].startswith(
        '1 of 1 test images with ground-truth objects got no detection '
        'above the test threshold (score_thr 0.4, '
        'model.test_cfg.rcnn.score_thr)')
    run_epoch(hook, runner, [[sample(1, [0.5])], [sample(2, [0.7])]],
              phase='test')
    assert len(runner.logger.warnings) == 1  # no image without detections


def test_says_nothing_of_its_threshold_when_the_model_has_none():
    hook, runner = ScoreThresholdCheckHook(), runner_with({})
    run_epoch(hook, runner, [[sample(1, [])]])
    assert runner.logger.warnings == [
        '1 of 1 validation images with ground-truth objects got no '
        'detection above the test threshold. The detector scored every box '
        'of these images at or below the threshold.']
