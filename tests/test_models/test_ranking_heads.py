"""What every ranking head must do: a batch without positives, bad ground
truth, diverged predictions and bfloat16 autocast (the CPU stand-in for
--amp)."""
import pytest
import torch
from mmengine.logging import MessageHub

from alrp_mmdet.models.losses import ranking
from alrp_mmdet.models.ranking_heads import (RankingBatch,
                                             TrainingDivergedError,
                                             alrp_batch_losses, check_gt_boxes,
                                             divergence,
                                             rank_sort_batch_losses)
from .head_inputs import empty_gt, gt, metas
from .test_dense_heads import test_alrp_fovea_head as fovea
from .test_dense_heads import test_alrp_retina_head as retina
from .test_dense_heads import test_alrp_rpn_head as rpn
from .test_dense_heads import test_ap_loss_retina_head as ap_retina
from .test_dense_heads import test_fcos_heads as fcos
from .test_dense_heads import test_rank_sort_heads as rs_heads
from .test_dense_heads import test_rtmdet_heads as rtmdet
from .test_roi_heads import test_alrp_convfc_bbox_head as roi


def dense(module, head_type=None):
    """(build, losses) of a dense head test module."""
    def build(**kwargs):
        return (module.build_head(head_type, **kwargs) if head_type
                else module.build_head(**kwargs))

    def losses(head, gts, edit=None):
        outs = head(module.features(len(gts)))
        if edit:
            outs = edit(outs)
        return head.loss_by_feat(*outs, gts, metas(len(gts)))
    return build, losses


def roi_losses(head, gts, edit=None):
    cls_score, bbox_pred, rois, results = roi.batch_of(head, gts)
    if edit:
        (cls_score, ), (bbox_pred, ) = edit(([cls_score], [bbox_pred]))
    return head.loss_and_target(cls_score, bbox_pred, rois, results,
                                roi.RCNN_TRAIN_CFG)['loss_bbox']


def rank_sort_atss(**kwargs):
    return retina.build_head('RankSortATSSHead', norm_cfg=dict(
        type='GN', num_groups=2, requires_grad=True), **kwargs)


def rank_sort_paa(**kwargs):
    return rs_heads.build_paa(**kwargs)


def rank_sort_roi(**kwargs):
    return roi.build_head(type='RankSortShared2FCBBoxHead',
                          loss_cls=dict(type='RankSortLoss'), **kwargs)


HEADS = {
    'ALRPRetinaHead': dense(retina, 'ALRPRetinaHead'),
    'RankSortATSSHead': (rank_sort_atss, dense(retina)[1]),
    'RankSortPAAHead': (rank_sort_paa, dense(retina)[1]),
    'RankSortShared2FCBBoxHead': (rank_sort_roi, roi_losses),
    'ALRPATSSHead': dense(retina, 'ALRPATSSHead'),
    'ALRPFoveaHead': dense(fovea, 'ALRPFoveaHead'),
    'ALRPFCOSHead': dense(fcos, 'ALRPFCOSHead'),
    'RankSortFCOSHead': dense(fcos, 'RankSortFCOSHead'),
    'ALRPRTMDetSepBNHead': dense(rtmdet, 'ALRPRTMDetSepBNHead'),
    'RankSortRTMDetSepBNHead': dense(rtmdet, 'RankSortRTMDetSepBNHead'),
    'APLossFoveaHead': dense(fovea, 'APLossFoveaHead'),
    'APLossRetinaHead': dense(ap_retina),
    'ALRPShared2FCBBoxHead': (roi.build_head, roi_losses),
}
RPN = dense(rpn)
RS_RPN = (lambda **kwargs: rpn.build_head(
    type='RankSortRPNHead', loss_cls=dict(type='RankSortLoss'), **kwargs),
    RPN[1])
RPN_HEADS = ['ALRPRPNHead', 'RankSortRPNHead']
TWO_GTS = [gt(), gt(1, shift=8.0)]


def total(losses):
    return sum(v for k, v in losses.items() if 'loss' in k)


def head_and_losses(head_type):
    return dict(ALRPRPNHead=RPN, RankSortRPNHead=RS_RPN).get(
        head_type) or HEADS[head_type]


def entry(losses, name):
    """A loss dict entry whatever its head's prefix (the RPN's rpn_)."""
    return next(v for k, v in losses.items()
                if k == name or k == f'rpn_{name}' or
                k == name.replace('loss_', 'loss_rpn_'))


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


def set_nan(outs, which):
    """NaN in every level of the scores (0) or box predictions (1)."""
    outs = [list(levels) for levels in outs]
    outs[which] = [torch.full_like(o, float('nan')) for o in outs[which]]
    return outs


def set_huge(outs):
    outs = [list(level) for level in outs]
    outs[0][0] = outs[0][0] * 0 + 7e4
    return outs


@pytest.mark.parametrize('edit, what', [
    (lambda outs: set_nan(outs, 0), '[1-9][0-9]* NaN/infinite logits'),
    (lambda outs: set_nan(outs, 1), r'[1-9][0-9]* non-finite box'),
    (set_huge, r'largest finite \|logit\| 7e\+04'),
])
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


@pytest.mark.parametrize('bad', [float('nan'), float('inf'), -float('inf')])
def test_one_non_finite_logit_anywhere_is_divergence(bad):
    head = rank_sort_atss()
    logits = torch.randn(50, 3)
    logits[-1, 2] = bad
    MessageHub.get_current_instance().update_info('iter', 6)
    with pytest.raises(TrainingDivergedError,
                       match='iteration 7: 1 NaN/infinite logits, largest '
                       r'finite \|logit\| [0-9.]+ '):
        rank_sort_batch_losses(head, RankingBatch(
            logits=logits, labels=torch.full((50, ), 3),
            label_weights=torch.ones(50), pos_rows=torch.zeros(0).long(),
            pos_preds=torch.zeros(0, 4), pos_targets=torch.zeros(0, 4),
            boxes_decoded=True))


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


def test_the_roi_heads_check_the_gt_boxes_of_their_positives():
    # (their RPN sees every gt box; the RoI head sees its positives' boxes)
    head = roi.build_head()
    positives = torch.tensor([[10.0, 10.0, 50.0, 50.0],
                              [60.0, 60.0, 60.0, 90.0]])
    with pytest.raises(ValueError, match=r'ALRPShared2FCBBoxHead: ground-'
                       r'truth box 1 of image 0 of the batch is of zero '
                       r'width or height: \[60.0, 60.0, 60.0, 90.0\]'):
        check_gt_boxes(head, [positives])
    check_gt_boxes(head, [positives[:1], torch.empty(0, 4)])


@pytest.mark.parametrize('head_type', sorted(HEADS) + RPN_HEADS)
def test_logits_are_measured_once_per_iteration_by_the_core(
        head_type, monkeypatch):
    # the range check of the logits is made once, in the ranking core's
    # input check; the head only names the failure (RS-PAA also measures
    # its candidates before PAA's GMM)
    calls = {'core': 0, 'head': 0}

    def counting(where, measure):
        def measure_and_count(logits):
            calls[where] += 1
            return measure(logits)
        return measure_and_count

    monkeypatch.setattr(ranking, 'measure_logits',
                        counting('core', ranking.measure_logits))
    monkeypatch.setattr(divergence, 'measure_logits',
                        counting('head', divergence.measure_logits))
    build, losses = head_and_losses(head_type)
    gts = [gt(label=0), gt(label=0, shift=8.0)] \
        if head_type in RPN_HEADS else TWO_GTS
    losses(build(), gts)
    assert calls['core'] == 1
    assert calls['head'] == (2 if head_type == 'RankSortPAAHead' else 0)


def test_an_objective_function_refuses_a_head_of_another_objective():
    head = rank_sort_atss()
    with pytest.raises(TypeError, match='RankSortATSSHead: alrp_batch_losses '
                       'needs a head declared with ALRPObjective'):
        alrp_batch_losses(head, None)
