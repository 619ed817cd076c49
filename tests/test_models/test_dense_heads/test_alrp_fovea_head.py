import pytest
import torch
from mmengine import Config

from alrp_mmdet.models.losses import alrp_loss, ap_loss, normalise_loc_errors
from ..head_inputs import gt, metas
from ..builders.fovea import (BASE_EDGES, LOSSES, STRIDES, build_head,
                              features, losses_of)


def brute_force_batch(head, cls_scores, bbox_preds, gts):
    """Flatten the batch level by level, then image by image, and give every
    row its image, point and base edge from the level's geometry."""
    rows = []
    for level, (score, pred) in enumerate(zip(cls_scores, bbox_preds)):
        num_imgs, _, h, w = score.shape
        stride, base = STRIDES[level], BASE_EDGES[level]
        ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w),
                                indexing='ij')
        points = torch.stack([(xs.flatten() + 0.5) * stride,
                              (ys.flatten() + 0.5) * stride], 1)
        for img in range(num_imgs):
            rows.append(dict(
                logits=score[img].permute(1, 2, 0).reshape(
                    -1, head.num_classes),
                preds=pred[img].permute(1, 2, 0).reshape(-1, 4),
                points=points, base=torch.full((h * w, ), float(base)),
                image=torch.full((h * w, ), img)))
    batch = {k: torch.cat([r[k] for r in rows]) for k in rows[0]}
    labels, targets = head.get_targets(
        gts, [s.shape[-2:] for s in cls_scores],
        head.prior_generator.grid_priors([s.shape[-2:] for s in cls_scores],
                                         device='cpu'))
    return batch, labels, targets


def losses_and_batch(head, gts):
    """The head's losses of ``gts`` and the brute-force batch with its
    labels, targets, positive rows and one-vs-all labels."""
    cls_scores, bbox_preds = head(features(len(gts)))
    losses = head.loss_by_feat(cls_scores, bbox_preds, gts, metas(len(gts)))
    batch, labels, targets = brute_force_batch(head, cls_scores, bbox_preds,
                                               gts)
    pos = torch.nonzero(labels < head.num_classes).squeeze(1)
    one_vs_all = torch.zeros_like(batch['logits'], dtype=torch.long)
    one_vs_all[pos, labels[pos]] = 1
    return losses, batch, labels, targets, pos, one_vs_all


def decode(points, base, log_dist):
    dist = base[:, None] * log_dist.exp()
    return torch.stack([points[:, 0] - dist[:, 0], points[:, 1] - dist[:, 1],
                        points[:, 0] + dist[:, 2], points[:, 1] + dist[:, 3]],
                       1)


@pytest.mark.parametrize('num_classes', [3, 80])
@pytest.mark.parametrize('head_type', sorted(LOSSES))
def test_non_empty_gt_gives_both_losses(head_type, num_classes):
    head = build_head(head_type, num_classes)
    assert head.cls_out_channels == num_classes
    losses = losses_of(head, [gt(), gt(1, shift=8.0)])
    assert losses['loss_cls'].item() > 0
    assert losses['loss_bbox'].item() > 0
    assert losses['num_pos'].item() > 0
    assert losses['grad_balance'].item() == pytest.approx(1.0, rel=1e-5)
    (losses['loss_cls'] + losses['loss_bbox']).backward()
    for name, param in head.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), \
            name


def test_alrp_fovea_is_one_ranking_with_boxes_decoded_at_their_own_point():
    head = build_head('ALRPFoveaHead')
    compared = []
    head.loss_bbox.register_forward_hook(
        lambda module, args, output: compared.append(args))
    gts = [gt(), gt(1, shift=8.0)]
    losses, batch, labels, targets, pos, one_vs_all = losses_and_batch(
        head, gts)
    # the head decodes every positive's target to a gt box of its own image
    # (the official code's image/level slip decodes most rows elsewhere) and
    # its prediction at the same point and scale
    head_preds, head_targets = compared[0]
    for row, box in zip(pos, head_targets):
        image_gts = gts[batch['image'][row]].bboxes
        assert torch.isclose(image_gts, box, atol=1e-3).all(1).any()
    gt_boxes = decode(batch['points'][pos], batch['base'][pos], targets[pos])
    assert torch.allclose(head_targets, gt_boxes)
    assert torch.allclose(head_preds, decode(
        batch['points'][pos], batch['base'][pos], batch['preds'][pos]))
    pred_boxes = decode(batch['points'][pos], batch['base'][pos],
                        batch['preds'][pos])
    errors = normalise_loc_errors(head.loss_bbox(pred_boxes, gt_boxes), 2.0,
                                  0.5)
    loss_cls, loss_loc = alrp_loss(batch['logits'].reshape(-1),
                                   one_vs_all.reshape(-1), errors)
    assert losses['loss_cls'].item() == pytest.approx(loss_cls.item(),
                                                      rel=1e-6)
    assert losses['loss_bbox'].item() == pytest.approx(
        50 * loss_loc.item(), rel=1e-6)


def test_ap_loss_fovea_is_one_ranking_plus_mean_smooth_l1():
    head = build_head('APLossFoveaHead')
    losses, batch, _, targets, pos, one_vs_all = losses_and_batch(
        head, [gt(), gt(1, shift=8.0)])
    expected = ap_loss(batch['logits'].reshape(-1), one_vs_all.reshape(-1),
                       interpolated=True)
    assert losses['loss_cls'].item() == pytest.approx(expected.item(),
                                                      rel=1e-6)
    diff = (batch['preds'][pos] - targets[pos]).abs()
    smooth_l1 = torch.where(diff < 0.11, 0.5 * diff**2 / 0.11,
                            diff - 0.5 * 0.11)
    assert losses['loss_bbox'].item() == pytest.approx(
        smooth_l1.mean().item(), rel=1e-5)


@pytest.mark.parametrize('head_type, bad, match', [
    ('ALRPFoveaHead', dict(loss_cls=dict(type='FocalLoss', use_sigmoid=True)),
     'ALRPLoss'),
    ('ALRPFoveaHead', dict(loss_bbox=dict(type='SmoothL1Loss')), 'GIoULoss'),
    ('ALRPFoveaHead', dict(loss_cls=dict(type='ALRPLoss', use_sigmoid=False)),
     'use_sigmoid'),
    ('ALRPFoveaHead', dict(reg_decoded_bbox=True), 'reg_decoded_bbox'),
    ('APLossFoveaHead', dict(loss_cls=dict(type='ALRPLoss',
                                           use_sigmoid=True)), 'APLoss'),
    # a box IoU loss on encoded deltas trained to loss_bbox -159748.9
    ('APLossFoveaHead', dict(loss_bbox=dict(type='GIoULoss')),
     'GIoULoss compares boxes and means nothing on deltas'),
    ('APLossFoveaHead', dict(loss_bbox=dict(type='IoULoss')),
     'IoULoss compares boxes'),
])
def test_bad_config_raises(head_type, bad, match):
    with pytest.raises((TypeError, ValueError), match=match):
        build_head(head_type, **bad)


@pytest.mark.parametrize('head_type', sorted(LOSSES))
def test_inference_is_mmdets(head_type):
    head = build_head(head_type)
    head.eval()
    with torch.no_grad():
        results = head.predict_by_feat(
            *head(features(1)), batch_img_metas=metas(1), rescale=False,
            cfg=Config(dict(nms_pre=100, score_thr=0.0,
                            nms=dict(type='nms', iou_threshold=0.5),
                            max_per_img=10)))
    assert results[0].bboxes.shape == (10, 4)
    assert results[0].labels.max() < 3
    assert ((results[0].scores >= 0) & (results[0].scores <= 1)).all()
