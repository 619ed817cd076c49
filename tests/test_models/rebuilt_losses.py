"""What the point-head tests compare a head with: the functional losses of
a batch the test rebuilt image by image from mmdet's per-image targets (a
dict with ``logits``, ``labels``, ``pos_logits``, ``pred_boxes`` and
``gt_boxes``), and mmdet's inference."""
import pytest
import torch
from mmengine import Config

from alrp_mmdet.models.losses import (alrp_loss, normalise_loc_errors,
                                      rank_sort_loss)
from mmdet.structures.bbox import bbox_overlaps
from .head_inputs import metas

#: the configs of the two box-comparing objectives, by head-name prefix
RANKING_LOSSES = {
    'ALRP': dict(loss_cls=dict(type='ALRPLoss', use_sigmoid=True),
                 loss_bbox=dict(type='GIoULoss', reduction='none')),
    'RankSort': dict(loss_cls=dict(type='RankSortLoss', use_sigmoid=True),
                     loss_bbox=dict(type='GIoULoss', reduction='none')),
}


def ranking_losses(head_type: str) -> dict:
    """``loss_cls`` and ``loss_bbox`` of a head named ALRP* or RankSort*."""
    return RANKING_LOSSES['ALRP' if head_type.startswith('ALRP')
                          else 'RankSort']


def assert_alrp_of_rebuilt_batch(losses: dict, head, batch: dict) -> None:
    """The head's aLRP losses are one ``alrp_loss`` call on the batch
    (GIoU E_loc with tau 0.5, SB weight 50)."""
    errors = normalise_loc_errors(
        head.loss_bbox(batch['pred_boxes'], batch['gt_boxes']), 2.0, 0.5)
    loss_cls, loss_loc = alrp_loss(batch['logits'], batch['labels'], errors)
    assert losses['loss_cls'].item() == pytest.approx(loss_cls.item(),
                                                      rel=1e-6)
    assert losses['loss_bbox'].item() == pytest.approx(
        50 * loss_loc.item(), rel=1e-6)


def assert_rank_sort_of_rebuilt_batch(losses: dict, batch: dict) -> tuple:
    """The head's RS losses are one ``rank_sort_loss`` call (delta 0.5) on
    the batch sorted by the IoUs of its boxes, and the box loss equals their
    value. Returns (loss_rank, loss_sort, ious)."""
    ious = bbox_overlaps(batch['pred_boxes'], batch['gt_boxes'],
                         is_aligned=True).clamp(0, 1).detach()
    loss_rank, loss_sort = rank_sort_loss(batch['logits'], batch['labels'],
                                          ious, delta=0.5)
    assert losses['loss_rank'].item() == pytest.approx(loss_rank.item(),
                                                       rel=1e-6)
    assert losses['loss_sort'].item() == pytest.approx(loss_sort.item(),
                                                       rel=1e-6)
    assert losses['loss_bbox'].item() == pytest.approx(
        (loss_rank + loss_sort).item(), rel=1e-5)
    return loss_rank, loss_sort, ious


def top_score_and_probability(head, features: list,
                              iou_threshold: float) -> tuple:
    """(best detection score of mmdet's inference, best sigmoid class
    probability of the outputs, number of outputs) on one image."""
    head.eval()
    with torch.no_grad():
        outs = head(features)
        results = head.predict_by_feat(
            *outs, batch_img_metas=metas(1), rescale=False,
            cfg=Config(dict(nms_pre=1000, score_thr=0.0,
                            nms=dict(type='nms', iou_threshold=iou_threshold),
                            max_per_img=10)))
    best = max(float(s.sigmoid().max()) for s in outs[0])
    return results[0].scores.max().item(), best, len(outs)
