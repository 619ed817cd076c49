"""The objective axis of the DETR-style heads: the losses of one layer's
:class:`~.query_gatherers.QueryBatch` in the order of mmdet's
``loss_by_feat_single`` (``loss_cls``, ``loss_bbox``, ``loss_iou``)."""
from typing import Tuple

from torch import Tensor

from .objectives import (ALRPObjective, RankSortObjective, alrp_batch_losses,
                         loc_loss_of, rank_and_sort, value_balances)
from .query_gatherers import QueryBatch


#: a DETR head's box losses under a ranking objective: DINO's L1 loss on
#: the normalised boxes, and the GIoU of E_loc (aLRP) or of RS's box loss
DETR_BOX_LOSSES = dict(
    loss_bbox=dict(type='L1Loss', loss_weight=5.0),
    loss_iou=dict(type='GIoULoss', reduction='none'))


def detr_l1_loss(head, batch: QueryBatch) -> Tensor:
    """A DETR head's ``loss_bbox`` (L1) of its positives' normalised
    (cx, cy, w, h), over DETR's normaliser, as mmdet computes it."""
    if len(batch.pos_box_params) == 0:
        return batch.pos_box_params.sum() * 0
    return head.loss_bbox(batch.pos_box_params, batch.pos_box_param_targets,
                          avg_factor=batch.num_pos_avg)


def alrp_query_losses(head: ALRPObjective,
                      batch: QueryBatch) -> Tuple[Tensor, Tensor, Tensor]:
    """One layer of a DETR-style head with aLRP Loss, in the order of
    mmdet's ``loss_by_feat_single``: ``loss_cls`` (the ranking part of
    :func:`alrp_batch_losses`, one ranking of every query x class of the
    batch), ``loss_bbox`` (DETR's L1 loss as configured, which aLRP does
    not replace: it regresses the normalised box parameters that the
    Hungarian matcher compares) and ``loss_iou`` (the SB-weighted
    localisation part, E_loc from the GIoU of the boxes in image
    coordinates). Every layer calls the head's one ``ALRPLoss``, so its
    epoch ratio pools every layer of every iteration."""
    losses = alrp_batch_losses(head, batch.ranking)
    return losses['loss_cls'], detr_l1_loss(head, batch), losses['loss_bbox']


def rank_sort_query_losses(head: RankSortObjective, batch: QueryBatch
                           ) -> Tuple[Tensor, Tensor, Tensor]:
    """One layer of a DETR-style head with Rank & Sort Loss (as the
    bucketed-losses paper does for Co-DETR), in the order of mmdet's
    ``loss_by_feat_single``: ``loss_cls`` = loss_rank + loss_sort of one
    ranking of every query x class of the batch (IoU targets of the matched
    queries), and DETR's L1 loss (``loss_bbox``) and GIoU loss
    (``loss_iou``, mean over the positives) each rescaled by a detached
    factor to the RS value (:func:`value_balance`)."""
    output = rank_and_sort(head, batch.ranking, 'rank_sort_query_losses')
    rs_value = sum(output.losses.values())
    preds = batch.ranking.pos_preds.float()
    if len(preds) == 0:
        giou_loss = preds.sum() * 0
    else:
        giou_loss = loc_loss_of(head)(preds, batch.ranking.pos_targets.float()
                                      ).sum() / batch.num_pos_avg
    l1_loss = detr_l1_loss(head, batch)
    l1_balance, giou_balance = value_balances(rs_value, l1_loss, giou_loss)
    return rs_value, l1_loss * l1_balance, giou_loss * giou_balance
