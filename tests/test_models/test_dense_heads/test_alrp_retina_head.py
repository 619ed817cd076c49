import pytest
import torch
from mmengine import Config


from alrp_mmdet.models.losses import alrp_loss, normalise_loc_errors
from ..head_inputs import empty_gt, gt, metas
from ..builders.retina import (ALRP_HEADS, build_head, features, losses_of,
                               rebuild_batch)


@pytest.mark.parametrize('num_classes', [3, 80])
@pytest.mark.parametrize('head_type', ALRP_HEADS)
def test_non_empty_gt_gives_both_losses(head_type, num_classes):
    head = build_head(head_type, num_classes)
    assert head.cls_out_channels == num_classes
    losses = losses_of(head, [gt(), gt(1)])
    assert losses['loss_cls'].item() > 0
    assert losses['loss_bbox'].item() > 0
    assert losses['num_pos'].item() > 0
    assert losses['sb_weight'].item() == 50.0
    assert losses['grad_balance'].item() == pytest.approx(1.0, rel=1e-5)
    assert not any('loss' in k for k in losses if not k.startswith('loss_'))
    (losses['loss_cls'] + losses['loss_bbox']).backward()
    for name, param in head.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), \
            name


@pytest.mark.parametrize('head_type', ALRP_HEADS)
def test_image_without_gt_adds_negatives_to_the_batch_ranking(head_type):
    # aLRP averages over positives, so a batch without any positive has no
    # loss; an image without gt next to one with gt only adds negatives
    head = build_head(head_type)
    alone = losses_of(head, [gt()])
    alone_box = alone['loss_bbox'].item() / alone['sb_weight'].item()
    mixed = losses_of(head, [gt(), empty_gt()])
    assert mixed['num_pos'].item() == alone['num_pos'].item()
    assert mixed['loss_cls'].item() > alone['loss_cls'].item()
    assert mixed['loss_bbox'].item() / 50 < alone_box


@pytest.mark.parametrize('head_type', ALRP_HEADS)
def test_head_loss_is_one_ranking_of_the_whole_batch(head_type):
    head = build_head(head_type)
    gts = [gt(), gt(1)]
    cls_scores, bbox_preds = head(features(2))
    losses = head.loss_by_feat(cls_scores, bbox_preds, gts, metas(2))
    logits, labels, pred_boxes, gt_boxes, positives = rebuild_batch(
        head, cls_scores, bbox_preds, gts)
    assert (labels == -1).any() == (head_type == 'ALRPRetinaHead')
    errors = normalise_loc_errors(head.loss_bbox(pred_boxes, gt_boxes), 2.0,
                                  0.5)
    loss_cls, loss_loc = alrp_loss(logits, labels, errors)
    assert losses['num_pos'].item() == sum(positives)
    assert losses['loss_cls'].item() == pytest.approx(loss_cls.item(),
                                                      rel=1e-6)
    assert losses['loss_bbox'].item() == pytest.approx(
        50 * loss_loc.item(), rel=1e-6)
    # per-image rankings would give a loss outside that tolerance
    half = len(logits) // 2
    per_image = torch.stack([
        alrp_loss(logits[i * half:(i + 1) * half],
                  labels[i * half:(i + 1) * half],
                  errors[sum(positives[:i]):sum(positives[:i + 1])])[0]
        for i in range(2)
    ]).mean()
    assert per_image.item() != pytest.approx(loss_cls.item(), rel=1e-6)


def test_localisation_error_uses_giou_over_two_over_one_minus_tau():
    head = build_head('ALRPRetinaHead', tau=0.5)
    pred = torch.tensor([[0., 0., 10., 10.], [0., 0., 10., 10.]])
    target = torch.tensor([[0., 0., 10., 20.], [30., 30., 40., 40.]])
    giou_loss = head.loss_bbox(pred, target)
    assert giou_loss[0].item() == pytest.approx(0.5, rel=1e-4)  # IoU 1/2
    errors = normalise_loc_errors(giou_loss, head.loc_loss_range, head.tau)
    # GIoU 0.5: (1 - 0.5) / 2 / (1 - 0.5); a disjoint box (GIoU -0.875,
    # 1.875 before the cap) counts as 1 in value and keeps its gradient
    assert errors.tolist() == pytest.approx([0.5, 1.0], rel=1e-4)
    pred.requires_grad_()
    normalise_loc_errors(head.loss_bbox(pred, target), 2.0, 0.5).sum(
    ).backward()
    assert pred.grad[1].abs().sum() > 0


@pytest.mark.parametrize('bad, match', [
    (dict(loss_cls=dict(type='ALRPLoss', use_sigmoid=False)), 'use_sigmoid'),
    (dict(loss_cls=dict(type='FocalLoss', use_sigmoid=True)), 'ALRPLoss'),
    (dict(loss_bbox=dict(type='GIoULoss')), 'reduction'),
    (dict(loss_bbox=dict(type='L1Loss')), 'GIoULoss'),
    (dict(reg_decoded_bbox=False), 'reg_decoded_bbox'),
    (dict(tau=1.0), 'tau'),
    (dict(tau=None), r'tau must be a number in \[0, 1\)'),
    (dict(tau='0.5'), r'tau must be a number in \[0, 1\)'),
    (dict(tau=True), r'tau must be a number in \[0, 1\)'),
    (dict(loss_bbox=dict(type='GIoULoss', reduction='none',
                         loss_weight=2.0)), 'loss_weight must be 1'),
    (dict(loss_bbox=dict(type='GIoULoss', reduction='none',
                         loss_weight=0.0)), 'loss_weight must be 1'),
    (dict(loss_cls=dict(type='ALRPLoss', sb_init=float('inf'))), 'sb_init'),
    (dict(loss_cls=dict(type='ALRPLoss', delta=float('inf'))), 'delta'),
])
def test_bad_config_raises(bad, match):
    with pytest.raises((TypeError, ValueError), match=match):
        build_head('ALRPRetinaHead', **bad)


def test_loss_config_without_use_sigmoid_builds():
    # the docs' snippets: the heads default use_sigmoid to True
    head = build_head('ALRPRetinaHead',
                      loss_cls=dict(type='ALRPLoss', delta=1.0))
    assert head.cls_out_channels == 3 and head.loss_cls.delta == 1.0


def test_inference_is_mmdets():
    head = build_head('ALRPATSSHead')
    head.eval()
    with torch.no_grad():
        outs = head(features(1))
        results = head.predict_by_feat(
            *outs, batch_img_metas=metas(1), rescale=False,
            cfg=Config(dict(nms_pre=100, score_thr=0.0, min_bbox_size=0,
                            nms=dict(type='nms', iou_threshold=0.5),
                            max_per_img=10)))
    assert results[0].bboxes.shape == (10, 4)
    assert results[0].labels.max() < 3
