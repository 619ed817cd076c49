"""ALRPRTMDetSepBNHead and RankSortRTMDetSepBNHead against their losses on
the batch rebuilt image by image from mmdet's per-image RTMDet targets."""
import pytest
import torch
from mmengine import Config

from alrp_mmdet.models.losses import (alrp_loss, normalise_loc_errors,
                                      rank_sort_loss)
from mmdet.registry import MODELS
from mmdet.structures.bbox import bbox_overlaps
from .. import head_inputs
from ..head_inputs import gt, metas

STRIDES = [8, 16, 32]
LOSSES = {
    'ALRPRTMDetSepBNHead': dict(
        loss_cls=dict(type='ALRPLoss', use_sigmoid=True),
        loss_bbox=dict(type='GIoULoss', reduction='none')),
    'RankSortRTMDetSepBNHead': dict(
        loss_cls=dict(type='RankSortLoss', use_sigmoid=True),
        loss_bbox=dict(type='GIoULoss', reduction='none')),
}
TRAIN_CFG = dict(assigner=dict(type='DynamicSoftLabelAssigner', topk=13),
                 allowed_border=-1, pos_weight=-1, debug=False)


def build_head(head_type, num_classes=3, **kwargs):
    cfg = dict(type=head_type, num_classes=num_classes, in_channels=1,
               feat_channels=4, stacked_convs=1, with_objectness=False,
               anchor_generator=dict(type='MlvlPointGenerator', offset=0,
                                     strides=STRIDES),
               bbox_coder=dict(type='DistancePointBBoxCoder'),
               train_cfg=TRAIN_CFG, **LOSSES[head_type])
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def features(num_imgs):
    return head_inputs.features(num_imgs, STRIDES)


def rebuilt_batch(head, cls_scores, bbox_preds, gts):
    """Image by image: this image's rows of every level, each point and
    decoded box computed here, and mmdet's per-image RTMDet targets."""
    points = []
    for score, stride in zip(cls_scores, STRIDES):
        h, w = score.shape[-2:]
        ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w),
                                indexing='ij')
        points.append(torch.stack([xs.flatten() * stride,
                                   ys.flatten() * stride], 1).float())
    points = torch.cat(points)
    priors = torch.cat([points, points.new_tensor(
        [[s, s] for s, score in zip(STRIDES, cls_scores)
         for _ in range(score.shape[-2] * score.shape[-1])])], 1)
    rows = []
    for img, gt_instances in enumerate(gts):
        logits = torch.cat([s[img].permute(1, 2, 0).reshape(
            -1, head.num_classes) for s in cls_scores])
        dist = torch.cat([p[img].permute(1, 2, 0).reshape(-1, 4)
                          for p in bbox_preds])
        boxes = torch.cat([points - dist[:, :2], points + dist[:, 2:]], 1)
        _, labels, weights, targets, soft, _ = head._get_targets_single(
            logits.detach(), boxes.detach(), priors,
            torch.ones(len(points), dtype=torch.bool), gt_instances,
            metas(1)[0])
        rows.append((logits, boxes, labels, weights, targets, soft))
    logits, boxes, labels, weights, targets, soft = (
        torch.cat(parts) for parts in zip(*rows))
    pos = torch.nonzero(labels < head.num_classes).squeeze(1)
    one_vs_all = torch.zeros_like(logits, dtype=torch.long)
    one_vs_all[pos, labels[pos]] = 1
    one_vs_all[weights == 0] = -1
    return dict(logits=logits.reshape(-1), labels=one_vs_all.reshape(-1),
                pos_logits=logits[pos], pred_boxes=boxes[pos],
                gt_boxes=targets[pos], soft_labels=soft[pos])


def losses_and_batch(head_type, **kwargs):
    head = build_head(head_type, **kwargs)
    gts = [gt(), gt(1, shift=8.0)]
    cls_scores, bbox_preds = head(features(2))
    losses = head.loss_by_feat(cls_scores, bbox_preds, gts, metas(2))
    return head, losses, rebuilt_batch(head, cls_scores, bbox_preds, gts)


def test_alrp_rtmdet_is_one_ranking_of_the_rebuilt_batch():
    head, losses, batch = losses_and_batch('ALRPRTMDetSepBNHead')
    assert losses['num_pos'].item() == len(batch['gt_boxes']) > 0
    errors = normalise_loc_errors(
        head.loss_bbox(batch['pred_boxes'], batch['gt_boxes']), 2.0, 0.5)
    loss_cls, loss_loc = alrp_loss(batch['logits'], batch['labels'], errors)
    assert losses['loss_cls'].item() == pytest.approx(loss_cls.item(),
                                                      rel=1e-6)
    assert losses['loss_bbox'].item() == pytest.approx(
        50 * loss_loc.item(), rel=1e-6)


def test_rank_sort_rtmdet_sorts_by_iou_not_by_the_soft_labels():
    head, losses, batch = losses_and_batch('RankSortRTMDetSepBNHead')
    ious = bbox_overlaps(batch['pred_boxes'], batch['gt_boxes'],
                         is_aligned=True).clamp(0, 1).detach()
    loss_rank, loss_sort = rank_sort_loss(batch['logits'], batch['labels'],
                                          ious, delta=0.5)
    assert losses['loss_rank'].item() == pytest.approx(loss_rank.item(),
                                                       rel=1e-6)
    assert losses['loss_sort'].item() == pytest.approx(loss_sort.item(),
                                                       rel=1e-6)
    # the assigner's soft labels are the IoUs of the same boxes
    assert torch.allclose(batch['soft_labels'], ious, atol=1e-5)
    assert losses['loss_bbox'].item() == pytest.approx(
        (loss_rank + loss_sort).item(), rel=1e-5)


@pytest.mark.parametrize('head_type', sorted(LOSSES))
def test_inference_is_rtmdets(head_type):
    head = build_head(head_type)
    head.eval()
    with torch.no_grad():
        outs = head(features(1))
        results = head.predict_by_feat(
            *outs, batch_img_metas=metas(1), rescale=False,
            cfg=Config(dict(nms_pre=1000, score_thr=0.0,
                            nms=dict(type='nms', iou_threshold=0.65),
                            max_per_img=10)))
    best = max(float(s.sigmoid().max()) for s in outs[0])
    assert results[0].scores.max().item() == pytest.approx(best, rel=1e-6)


@pytest.mark.parametrize('head_type, bad, match', [
    ('ALRPRTMDetSepBNHead', dict(loss_cls=dict(type='QualityFocalLoss',
                                               use_sigmoid=True)),
     'ALRPLoss'),
    ('ALRPRTMDetSepBNHead', dict(loss_bbox=dict(type='GIoULoss',
                                                loss_weight=2.0)),
     'GIoULoss'),
    ('RankSortRTMDetSepBNHead', dict(loss_cls=dict(type='ALRPLoss',
                                                   use_sigmoid=True)),
     'RankSortLoss'),
])
def test_bad_config_raises(head_type, bad, match):
    with pytest.raises((TypeError, ValueError), match=match):
        build_head(head_type, **bad)
