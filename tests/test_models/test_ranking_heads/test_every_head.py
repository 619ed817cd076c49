"""What every ranking head must do: a batch without positives, bad ground
truth, diverged predictions and bfloat16 autocast (the CPU stand-in for
--amp)."""
import pytest
import torch
from mmengine.logging import MessageHub

from alrp_mmdet.models.losses import ranking
from alrp_mmdet.models.ranking_heads import TrainingDivergedError, divergence
from ..builders import roi
from ..head_inputs import empty_gt, gt
from ..builders.ranking_heads import (DIVERGED_OUTPUTS, HEADS, RPN_HEADS,
                                      TWO_GTS, entry, head_and_losses,
                                      rank_sort_roi, total)


@pytest.mark.parametrize('head_type', sorted(HEADS) + RPN_HEADS)
def test_batch_without_positives_is_a_zero_loss_reaching_every_parameter(
        head_type):
    # aLRP averages over positives: no positive, no loss; the zero loss
    # still reaches every parameter so that DDP's reduction does not hang
    build, losses_of = head_and_losses(head_type)
    head = build()
    head.train()
    losses = losses_of(head, [empty_gt(), empty_gt()])
    values = {key: value.item() for key, value in losses.items()
              if 'loss' in key}
    assert len(values) >= 2 and set(values.values()) == {0.0}
    assert entry(losses, 'num_pos').item() == 0
    if head_type.startswith('ALRP'):
        assert entry(losses, 'empty_batches').item() == 1
    total(losses).backward()
    for name, param in head.named_parameters():
        assert param.grad is not None and (param.grad == 0).all(), name


@pytest.mark.parametrize('head_type', sorted(HEADS))
def test_gt_label_of_num_classes_is_refused(head_type):
    # with 2 classes, label 2 is mmdet's background index: it would train
    # silently as negatives
    build, losses = HEADS[head_type]
    head = build(num_classes=2)
    key = ('model.roi_head.bbox_head.num_classes' if 'Shared2FC' in head_type
           else 'model.bbox_head.num_classes')
    with pytest.raises(ValueError, match=rf'label 2 is outside \[0, 2\).*'
                       rf'{key}'):
        losses(head, [gt(label=2), gt(label=1)])


@pytest.mark.parametrize('edit, what', DIVERGED_OUTPUTS)
@pytest.mark.parametrize('head_type', sorted(HEADS) + RPN_HEADS)
def test_diverged_predictions_stop_training_with_their_iteration(
        head_type, edit, what):
    build, losses = head_and_losses(head_type)
    gts = [gt(label=0), gt(label=0, shift=8.0)] \
        if head_type in RPN_HEADS else TWO_GTS
    MessageHub.get_current_instance().update_info('iter', 41)
    with pytest.raises(TrainingDivergedError,
                       match=f'training diverged at iteration 42: .*{what}'
                       '.*lower learning rate'):
        losses(build(), gts, edit)


@pytest.mark.parametrize('head_type', sorted(HEADS) + RPN_HEADS)
def test_bfloat16_autocast_keeps_losses_gradients_and_balance(head_type):
    build, losses = head_and_losses(head_type)
    gts = [gt(label=0), gt(label=0, shift=8.0)] \
        if head_type in RPN_HEADS else TWO_GTS
    full = losses(build(), gts)
    head = build()
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mixed = losses(head, gts)
        total(mixed).backward()
    for key, value in full.items():
        assert torch.isfinite(mixed[key]).all(), key
        if 'loss' in key:  # bfloat16 keeps 8 bits of the convs' outputs
            assert mixed[key].item() == pytest.approx(value.item(), rel=0.05,
                                                      abs=1e-3), key
    balance = entry(mixed, 'grad_balance')
    assert balance.item() == pytest.approx(1.0, rel=1e-5)
    for name, param in head.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), \
            name


@pytest.mark.parametrize('build', [roi.build_head, rank_sort_roi],
                         ids=['ALRPShared2FCBBoxHead',
                              'RankSortShared2FCBBoxHead'])
def test_a_roi_batch_without_rois_is_a_zero_loss_reaching_every_parameter(
        build):
    # mmdet's BBoxHead returns 0 for it; the reshape of 0 RoIs used to fail
    head = build()
    cls_score, bbox_pred = head(torch.rand(0, 1, 7, 7))
    losses = head.loss(cls_score, bbox_pred, torch.zeros(0, 5),
                       torch.zeros(0, dtype=torch.long), torch.zeros(0),
                       torch.zeros(0, 4), torch.zeros(0, 4))
    assert total(losses).item() == 0 and entry(losses, 'num_pos') == 0
    total(losses).backward()
    for name, param in head.named_parameters():
        assert param.grad is not None and (param.grad == 0).all(), name


def gt_with_box(box, label=0):
    """gt() whose first box is ``box``."""
    instances = gt(label=label)
    instances.bboxes = torch.cat([torch.tensor([box]), instances.bboxes[1:]])
    return instances


BAD_BOXES = [
    # a NaN box matched nothing and cut a neighbour's positives from 21 to 1
    ([float('nan'), 23.9, 238.6, 151.9], 'non-finite'),
    ([23.7, 23.9, float('inf'), 151.9], 'non-finite'),
    # with MaxIoU min_pos_iou=0 it made all 8,184 anchors positive
    ([40.0, 100.0, 40.0, 160.0], 'of zero width or height'),
    # trained with 8,204 positives and inf / nan box losses
    ([90.0, 100.0, 40.0, 160.0], 'inverted'),
]


@pytest.mark.parametrize('box, what', BAD_BOXES)
@pytest.mark.parametrize('head_type', sorted(
    name for name in HEADS if 'Shared2FC' not in name) + RPN_HEADS)
def test_broken_gt_boxes_are_refused_naming_image_and_box(head_type, box,
                                                          what):
    build, losses = head_and_losses(head_type)
    label = 0 if head_type in RPN_HEADS else 1
    with pytest.raises(ValueError, match=rf'{head_type}: ground-truth box 0 '
                       rf'of image 1 of the batch is {what}: .*'
                       r'FilterAnnotations'):
        losses(build(), [gt(label=label), gt_with_box(box, label)])


@pytest.mark.parametrize('head_type', sorted(HEADS) + RPN_HEADS)
def test_logits_are_measured_once_per_iteration_by_the_core(
        head_type, monkeypatch):
    # the range check of the logits is made once, in the ranking core's
    # input check; the head only names the failure (RS-PAA also measures
    # its candidates before PAA's GMM)
    calls = {'core': 0, 'head': 0}

    def counting(where, measure):
        def measure_and_count(*args):
            calls[where] += 1
            return measure(*args)
        return measure_and_count

    monkeypatch.setattr(ranking, 'logit_range_from_bounds',
                        counting('core', ranking.logit_range_from_bounds))
    monkeypatch.setattr(divergence, 'logit_range_from_bounds',
                        counting('head', divergence.logit_range_from_bounds))
    build, losses = head_and_losses(head_type)
    gts = [gt(label=0), gt(label=0, shift=8.0)] \
        if head_type in RPN_HEADS else TWO_GTS
    losses(build(), gts)
    assert calls['core'] == 1
    assert calls['head'] == (2 if head_type == 'RankSortPAAHead' else 0)
