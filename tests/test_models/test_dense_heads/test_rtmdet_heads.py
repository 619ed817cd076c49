"""ALRPRTMDetSepBNHead and RankSortRTMDetSepBNHead against their losses on
the batch rebuilt image by image from mmdet's per-image RTMDet targets."""
import pytest
import torch

from ..head_inputs import gt, metas
from ..rebuilt_losses import (assert_alrp_of_rebuilt_batch,
                              assert_rank_sort_of_rebuilt_batch,
                              top_score_and_probability)
from ..builders.rtmdet import STRIDES, build_head, features

HEAD_TYPES = ['ALRPRTMDetSepBNHead', 'RankSortRTMDetSepBNHead']


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
    assert_alrp_of_rebuilt_batch(losses, head, batch)


def test_rank_sort_rtmdet_sorts_by_iou_not_by_the_soft_labels():
    head, losses, batch = losses_and_batch('RankSortRTMDetSepBNHead')
    _, _, ious = assert_rank_sort_of_rebuilt_batch(losses, batch)
    # the assigner's soft labels are the IoUs of the same boxes
    assert torch.allclose(batch['soft_labels'], ious, atol=1e-5)


@pytest.mark.parametrize('head_type', HEAD_TYPES)
def test_inference_is_rtmdets(head_type):
    head = build_head(head_type)
    top, best, _ = top_score_and_probability(head, features(1), 0.65)
    assert top == pytest.approx(best, rel=1e-6)


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
