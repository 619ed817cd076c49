"""The geometry axis of the DETR-style heads: the queries of one layer for
the whole batch, as one :class:`QueryBatch` (a
:class:`~.ranking_batch.RankingBatch` plus DETR's normalised boxes)."""
from typing import List, NamedTuple

import torch
from torch import Tensor

from mmdet.structures.bbox import bbox_cxcywh_to_xyxy
from mmdet.utils import InstanceList, reduce_mean
from .divergence import check_divergence
from .ground_truth import check_ground_truth
from .ranking_batch import RankingBatch, positive_rows


class QueryBatch(NamedTuple):
    """The queries of one layer of a DETR-style head for the whole batch.

    Attributes:
        ranking: every query of every image as a row (image-major); the
            positives' boxes in image coordinates (x1, y1, x2, y2), for
            E_loc and IoU targets.
        pos_box_params: the positives' predicted (cx, cy, w, h) normalised
            by the image size: DETR's regression outputs, for its L1 loss.
        pos_box_param_targets: their targets in the same form.
        num_pos_avg: positives per GPU averaged over GPUs (at least 1):
            DETR's normaliser of its box losses.
    """
    ranking: RankingBatch
    pos_box_params: Tensor
    pos_box_param_targets: Tensor
    num_pos_avg: float


def _query_batch(head, cls_scores: Tensor, bbox_preds: Tensor,
                 batch_img_metas: List[dict], targets: tuple) -> QueryBatch:
    """A :class:`QueryBatch` of (bs, queries, classes) scores and
    (bs, queries, 4) normalised boxes with the per-image targets of a DETR
    head (labels, label weights, box targets, ...)."""
    labels, label_weights, box_targets = (torch.cat(t) for t in targets[:3])
    pos_rows = positive_rows(labels, head.num_classes)
    factors = torch.cat([
        preds.new_tensor([meta['img_shape'][1], meta['img_shape'][0]] *
                         2).expand(len(preds), 4)
        for meta, preds in zip(batch_img_metas, bbox_preds)
    ])[pos_rows]
    params = bbox_preds.reshape(-1, 4)[pos_rows]
    param_targets = box_targets[pos_rows]
    num_pos = reduce_mean(bbox_preds.new_tensor([float(len(pos_rows))]))
    return QueryBatch(
        ranking=RankingBatch(
            logits=cls_scores.reshape(-1, head.cls_out_channels),
            labels=labels,
            label_weights=label_weights,
            pos_rows=pos_rows,
            pos_preds=bbox_cxcywh_to_xyxy(params) * factors,
            pos_targets=bbox_cxcywh_to_xyxy(param_targets) * factors,
            boxes_decoded=True),
        pos_box_params=params,
        pos_box_param_targets=param_targets,
        num_pos_avg=max(float(num_pos), 1.0))


def matched_query_batch(head, cls_scores: Tensor, bbox_preds: Tensor,
                        batch_gt_instances: InstanceList,
                        batch_img_metas: List[dict]) -> QueryBatch:
    """The queries of one decoder layer (or the encoder's proposals) of an
    mmdet DETRHead, labelled by its ``get_targets``: the configured
    (Hungarian) assigner on the layer's own scores and boxes, one positive
    per gt box, every other query a negative. Scores and boxes are checked
    for divergence first: scipy's matching fails on NaN costs."""
    check_ground_truth(head, batch_gt_instances, batch_img_metas)
    check_divergence(head, cls_scores, bbox_preds)
    targets = head.get_targets(list(cls_scores), list(bbox_preds),
                               batch_gt_instances, batch_img_metas)
    return _query_batch(head, cls_scores, bbox_preds, batch_img_metas,
                        targets)


def denoising_query_batch(head, cls_scores: Tensor, bbox_preds: Tensor,
                          batch_gt_instances: InstanceList,
                          batch_img_metas: List[dict],
                          dn_meta: dict) -> QueryBatch:
    """The denoising queries of one decoder layer of an mmdet DINOHead,
    labelled by its ``get_dn_targets``: in every group, each gt box's
    positive query (lightly noised) is a positive of the gt's class, its
    negative query (noised further) and the padding queries negatives."""
    check_ground_truth(head, batch_gt_instances, batch_img_metas)
    targets = head.get_dn_targets(batch_gt_instances, batch_img_metas,
                                  dn_meta)
    return _query_batch(head, cls_scores, bbox_preds, batch_img_metas,
                        targets)
