"""The geometry axis of the dense heads: batch gatherers.

A gatherer turns one head's outputs and mmdet's targets for the whole batch
into one :class:`~.ranking_batch.RankingBatch`: every row (anchor or point)
of every image and level, in mmdet's target order. What a row is and how
its boxes are decoded is all that differs between geometries.

- :func:`anchor_batch`: anchor heads with AnchorHead's targets (RetinaNet
  with MaxIoU or ATSS, the RPN).
- :func:`atss_batch`: ATSSHead (its targets come with the anchors first).
- :func:`paa_batch`: anchor heads with PAA's GMM re-assignment.
- :func:`point_batch`: FoveaBox's points with their level base edges.
- :func:`fcos_batch`: FCOS's points.
- :func:`rtmdet_batch`: RTMDet's points with its dynamic soft-label
  assignment.

They take the arguments of mmdet's ``loss_by_feat`` in its order (scores
and box predictions per level, ground truth, image metas, ignored boxes),
so that a head's ``loss_by_feat`` passes them on as they come.
"""
from typing import List, Tuple

import torch
from torch import Tensor

from mmdet.models.dense_heads.paa_head import levels_to_images
from mmdet.models.utils import multi_apply
from mmdet.structures.bbox import distance2bbox, get_box_tensor
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import (flatten_levels, image_major_anchors, images_then_levels,
                     level_major_points, levels_then_images)
from .ground_truth import check_ground_truth
from .ranking_batch import RankingBatch, positive_rows


def anchor_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
                 batch_gt_instances: InstanceList, batch_img_metas: List[dict],
                 batch_gt_instances_ignore: OptInstanceList, *,
                 decode_boxes: bool) -> RankingBatch:
    """The whole batch of an mmdet AnchorHead whose ``get_targets`` keeps
    AnchorHead's contract (labels, label weights, box targets, box weights,
    average factor): RetinaHead, ``with_atss_assignment`` hosts, the RPN.
    Image-major (see :func:`flatten_levels`).

    Args:
        head: the anchor head; its ``get_targets`` assigns the targets.
        decode_boxes: decode the positives' deltas into boxes (aLRP and RS
            compare boxes; the objective's ``reg_decoded_bbox`` then makes
            the targets gt boxes), else return deltas and encoded targets
            (AP Loss).
    """
    anchor_list, valid_flag_list, anchors = _checked_anchors(
        head, cls_scores, batch_gt_instances, batch_img_metas)
    labels, label_weights, targets, _, _ = head.get_targets(
        anchor_list, valid_flag_list, batch_gt_instances, batch_img_metas,
        batch_gt_instances_ignore)
    return _anchor_rows(head, cls_scores, bbox_preds, anchors, labels,
                        label_weights, targets, decode_boxes)


def atss_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
               batch_gt_instances: InstanceList, batch_img_metas: List[dict],
               batch_gt_instances_ignore: OptInstanceList, *,
               decode_boxes: bool) -> RankingBatch:
    """The whole batch of an mmdet ATSSHead, whose ``get_targets`` returns
    the anchors before AnchorHead's five outputs; otherwise as
    :func:`anchor_batch`."""
    anchor_list, valid_flag_list, anchors = _checked_anchors(
        head, cls_scores, batch_gt_instances, batch_img_metas)
    _, labels, label_weights, targets, _, _ = head.get_targets(
        anchor_list, valid_flag_list, batch_gt_instances, batch_img_metas,
        batch_gt_instances_ignore)
    return _anchor_rows(head, cls_scores, bbox_preds, anchors, labels,
                        label_weights, targets, decode_boxes)


def _checked_anchors(head, cls_scores: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict]
                     ) -> Tuple[List[list], List[list], Tensor]:
    """After checking the ground truth: the head's per-image, per-level
    anchors and valid flags, and every anchor of the batch as image-major
    rows (taken before ``get_targets``, which may concatenate the per-level
    anchors in place, as ATSSHead's does)."""
    check_ground_truth(head, batch_gt_instances, batch_img_metas)
    anchor_list, valid_flag_list = head.get_anchors(
        [featmap.size()[-2:] for featmap in cls_scores], batch_img_metas,
        device=cls_scores[0].device)
    return anchor_list, valid_flag_list, image_major_anchors(anchor_list)


def _anchor_rows(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
                 anchors: Tensor, labels: List[Tensor],
                 label_weights: List[Tensor], targets: List[Tensor],
                 decode_boxes: bool) -> RankingBatch:
    """The :class:`RankingBatch` of an anchor head's per-level outputs and
    per-level targets (``get_targets``'s, image-major rows)."""
    labels = images_then_levels(labels)
    pos_rows = positive_rows(labels, head.num_classes)
    pos_preds = flatten_levels(bbox_preds,
                               head.bbox_coder.encode_size)[pos_rows]
    if decode_boxes:
        pos_preds = get_box_tensor(head.bbox_coder.decode(
            anchors[pos_rows], pos_preds))
    return RankingBatch(
        logits=flatten_levels(cls_scores, head.cls_out_channels),
        labels=labels,
        label_weights=images_then_levels(label_weights),
        pos_rows=pos_rows,
        pos_preds=pos_preds,
        pos_targets=images_then_levels(targets)[pos_rows],
        boxes_decoded=decode_boxes)


def paa_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
              batch_gt_instances: InstanceList, batch_img_metas: List[dict],
              batch_gt_instances_ignore: OptInstanceList, *,
              decode_boxes: bool) -> RankingBatch:
    """The whole batch of an mmdet PAAHead after PAA's re-assignment,
    image-major (image, then level, location, anchor).

    The initial positives of the head's assigner are scored by the head's
    ``get_pos_loss`` and split by a two-component GMM per gt
    (``paa_reassign``, no gradient); the rest of the candidates become
    negatives.

    Args:
        head: the PAA head (``reg_decoded_bbox``: its targets are gt
            boxes).
        decode_boxes: decode the positives' deltas into boxes.
    """
    check_ground_truth(head, batch_gt_instances, batch_img_metas)
    featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
    anchor_list, valid_flag_list = head.get_anchors(
        featmap_sizes, batch_img_metas, device=cls_scores[0].device)
    labels, label_weights, targets, bbox_weights, pos_inds, pos_gt_index = \
        head.get_targets(anchor_list, valid_flag_list, batch_gt_instances,
                         batch_img_metas, batch_gt_instances_ignore)
    logits = [x.reshape(-1, head.cls_out_channels)
              for x in levels_to_images(cls_scores)]
    deltas = [x.reshape(-1, 4) for x in levels_to_images(bbox_preds)]
    pos_losses, = multi_apply(head.get_pos_loss, anchor_list, logits, deltas,
                              labels, label_weights, targets, bbox_weights,
                              pos_inds)
    with torch.no_grad():
        labels, label_weights, _, _ = multi_apply(
            head.paa_reassign, pos_losses, labels, label_weights,
            bbox_weights, pos_inds, pos_gt_index, anchor_list)
    labels = torch.cat(labels)
    pos_rows = positive_rows(labels, head.num_classes)
    pos_preds = torch.cat(deltas)[pos_rows]
    if decode_boxes:
        pos_preds = get_box_tensor(head.bbox_coder.decode(
            image_major_anchors(anchor_list)[pos_rows], pos_preds))
    return RankingBatch(
        logits=torch.cat(logits),
        labels=labels,
        label_weights=torch.cat(label_weights),
        pos_rows=pos_rows,
        pos_preds=pos_preds,
        pos_targets=torch.cat(targets)[pos_rows],
        boxes_decoded=decode_boxes)


def rtmdet_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
                 batch_gt_instances: InstanceList, batch_img_metas: List[dict],
                 batch_gt_instances_ignore: OptInstanceList) -> RankingBatch:
    """The whole batch of an mmdet RTMDetHead, image-major (image, level,
    location), assigned by its ``get_targets`` (the configured assigner,
    RTMDet's ``DynamicSoftLabelAssigner``, on the detached scores and
    decoded boxes, as mmdet's RTMDet loss does).

    The ranking labels are the assignment's hard ones: a positive is its
    (point, assigned gt class) entry, every other entry of a valid point a
    negative. The assigner's soft labels (the IoU of the prediction with its
    gt, QualityFocalLoss's targets) are not used: aLRP ranks with E_loc and
    RS sorts by the IoU of the same decoded boxes. RTMDet's predictions are
    distances in pixels from each point, decoded as mmdet does: the batch
    always holds boxes.
    """
    check_ground_truth(head, batch_gt_instances, batch_img_metas)
    num_imgs = len(batch_img_metas)
    featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
    anchor_list, valid_flag_list = head.get_anchors(
        featmap_sizes, batch_img_metas, device=cls_scores[0].device)
    # (get_targets concatenates the per-level points of each image in place)
    points = torch.cat(anchor_list[0])
    logits = flatten_levels(cls_scores, head.cls_out_channels)
    boxes = distance2bbox(points, flatten_levels(bbox_preds, 4).reshape(
        num_imgs, -1, 4))
    _, labels, label_weights, targets, _, _ = head.get_targets(
        logits.reshape(num_imgs, -1, head.cls_out_channels), boxes,
        anchor_list, valid_flag_list, batch_gt_instances, batch_img_metas,
        batch_gt_instances_ignore)
    labels = images_then_levels(labels)
    pos_rows = positive_rows(labels, head.num_classes)
    return RankingBatch(
        logits=logits,
        labels=labels,
        label_weights=images_then_levels(label_weights),
        pos_rows=pos_rows,
        pos_preds=boxes.reshape(-1, 4)[pos_rows],
        pos_targets=images_then_levels(targets)[pos_rows],
        boxes_decoded=True)


def fovea_decode(points: Tensor, base_lens: Tensor,
                 log_distances: Tensor) -> Tensor:
    """FoveaBox boxes: the point minus/plus ``base_len * exp(t)`` to the
    left, top, right and bottom (no clamping, so gradients reach every
    side)."""
    return distance2bbox(points, base_lens[:, None] * log_distances.exp())


def point_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
                batch_gt_instances: InstanceList, batch_img_metas: List[dict],
                batch_gt_instances_ignore: OptInstanceList = None, *,
                decode_boxes: bool) -> RankingBatch:
    """The whole batch of an mmdet FoveaHead, level-major, then image, then
    location (FoveaHead's target order). Every non-positive point is a
    negative.

    Args:
        head: the FoveaHead; its ``get_targets`` assigns the targets.
        batch_gt_instances_ignore: unused, as in FoveaHead.
        decode_boxes: decode the positives' predicted and target
            log-distances into boxes, each with its own point and level
            base edge; otherwise return the log-distances.
    """
    check_ground_truth(head, batch_gt_instances, batch_img_metas)
    featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
    priors = head.prior_generator.grid_priors(
        featmap_sizes, dtype=bbox_preds[0].dtype, device=bbox_preds[0].device)
    labels, targets = head.get_targets(batch_gt_instances, featmap_sizes,
                                       priors)
    pos_rows = positive_rows(labels, head.num_classes)
    pos_preds = levels_then_images(bbox_preds, 4)[pos_rows]
    pos_targets = targets[pos_rows]
    if decode_boxes:
        num_imgs = cls_scores[0].size(0)
        points = level_major_points(priors, num_imgs)[pos_rows]
        base_lens = torch.cat([
            p.new_full((num_imgs * len(p), ), base_len)
            for p, base_len in zip(priors, head.base_edge_list)
        ])[pos_rows]
        pos_preds = fovea_decode(points, base_lens, pos_preds)
        pos_targets = fovea_decode(points, base_lens, pos_targets)
    return RankingBatch(
        logits=levels_then_images(cls_scores, head.cls_out_channels),
        labels=labels,
        label_weights=torch.ones_like(labels),
        pos_rows=pos_rows,
        pos_preds=pos_preds,
        pos_targets=pos_targets,
        boxes_decoded=decode_boxes)


def fcos_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
               batch_gt_instances: InstanceList, batch_img_metas: List[dict],
               batch_gt_instances_ignore: OptInstanceList = None
               ) -> RankingBatch:
    """The whole batch of an mmdet FCOSHead with the targets of its
    ``get_targets`` (regress ranges, center sampling and ``norm_on_bbox``
    as configured), level-major, then image, then location. Every
    non-positive point is a negative; FCOS has no ignored points.

    The positives' predicted and target distances are decoded into boxes
    around their points by the head's ``bbox_coder``, as FCOSHead does for
    its IoU loss, so the batch always holds boxes. (With ``norm_on_bbox``
    both are in units of the level's stride; (G)IoU does not change with
    the scale.) ``batch_gt_instances_ignore`` is unused, as in FCOSHead.
    """
    check_ground_truth(head, batch_gt_instances, batch_img_metas)
    featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
    points = head.prior_generator.grid_priors(
        featmap_sizes, dtype=bbox_preds[0].dtype, device=bbox_preds[0].device)
    labels, targets = head.get_targets(points, batch_gt_instances)
    labels = torch.cat(labels)
    pos_rows = positive_rows(labels, head.num_classes)
    num_imgs = cls_scores[0].size(0)
    pos_points = level_major_points(points, num_imgs)[pos_rows]
    return RankingBatch(
        logits=levels_then_images(cls_scores, head.cls_out_channels),
        labels=labels,
        label_weights=torch.ones_like(labels),
        pos_rows=pos_rows,
        pos_preds=head.bbox_coder.decode(
            pos_points, levels_then_images(bbox_preds, 4)[pos_rows]),
        pos_targets=head.bbox_coder.decode(pos_points,
                                           torch.cat(targets)[pos_rows]),
        boxes_decoded=True)
