"""The geometry axis of the ranking heads: batch gatherers.

A gatherer turns one head's outputs and mmdet's targets for the whole batch
into one :class:`RankingBatch`: every row (anchor, point or RoI) of every
image and level, in mmdet's target order. What a row is and how its boxes
are decoded is all that differs between geometries; the ranking objectives
(:mod:`.ranking_objectives`) only read the batch.

- :func:`anchor_batch`: anchor heads (RetinaNet with MaxIoU or ATSS, the
  RPN).
- :func:`paa_batch`: anchor heads with PAA's GMM re-assignment.
- :func:`point_batch`: FoveaBox's points with their level base edges.
- :func:`fcos_batch`: FCOS's points.
- :func:`rtmdet_batch`: RTMDet's points with its dynamic soft-label
  assignment.
- :func:`roi_batch`: the RoIs of a two-stage detector's box head.
- :func:`matched_query_batch`, :func:`denoising_query_batch`: the queries
  of one layer of a DETR-style head (:class:`QueryBatch`).

The dense gatherers take the arguments of mmdet's ``loss_by_feat`` in its
order (scores and box predictions per level, ground truth, image metas,
ignored boxes), so that a head's ``loss_by_feat`` passes them on as they
come.
"""
from typing import List, NamedTuple, Optional

import torch
from torch import Tensor

from mmdet.models.dense_heads.paa_head import levels_to_images
from mmdet.structures.bbox import (bbox_cxcywh_to_xyxy, cat_boxes,
                                   distance2bbox, get_box_tensor)
from mmdet.models.utils import multi_apply
from mmdet.utils import InstanceList, OptInstanceList, reduce_mean
from .divergence import check_divergence


class RankingBatch(NamedTuple):
    """A head's whole batch, flattened into rows.

    Attributes:
        logits: (num_rows, num_classes) classification logits.
        labels: (num_rows, ) class of each row; ``num_classes`` (mmdet's
            background) for negatives.
        label_weights: (num_rows, ); rows with weight 0 are ignored for
            every class.
        pos_rows: ascending indices of the positive rows, those whose label
            is in [0, num_classes).
        pos_preds: the positive rows' predictions: decoded boxes (x1, y1,
            x2, y2) when the gatherer was asked for boxes, else the head's
            raw regression outputs.
        pos_targets: their targets in the same form: gt boxes, or the
            head's encoded regression targets.
    """
    logits: Tensor
    labels: Tensor
    label_weights: Tensor
    pos_rows: Tensor
    pos_preds: Tensor
    pos_targets: Tensor


#: the config entry of a dense head's num_classes, for error messages
DENSE_NUM_CLASSES_KEY = 'model.bbox_head.num_classes'


def positive_rows(labels: Tensor, num_classes: int) -> Tensor:
    """Indices of the rows labelled with a class (background is
    ``num_classes`` in mmdet 3.x), in ascending order."""
    return torch.nonzero((labels >= 0) & (labels < num_classes)).squeeze(1)


def check_gt_labels(head, labels: List[Tensor]) -> None:
    """Raise if a ground-truth label is outside [0, head.num_classes).

    mmdet labels background ``num_classes``, so a gt of class
    ``num_classes`` would silently become a negative. The message names
    the config entry to fix: the head's ``num_classes_key`` (a RoI head's
    host sets it), else a dense head's.
    """
    labels = [lab for lab in labels if lab.numel()]
    if not labels:
        return
    low = min(int(lab.min()) for lab in labels)
    high = max(int(lab.max()) for lab in labels)
    if low < 0 or high >= head.num_classes:
        raise ValueError(
            f'{type(head).__name__}: ground-truth label '
            f'{high if high >= head.num_classes else low} is outside [0, '
            f'{head.num_classes}): the dataset has more classes than '
            f'{head.num_classes}, the num_classes of the head. Set '
            f'{getattr(head, "num_classes_key", DENSE_NUM_CLASSES_KEY)} to '
            'the number of classes in the '
            "dataset's metainfo")


def check_gt_boxes(head, boxes: List[Tensor],
                   img_metas: Optional[List[dict]] = None) -> None:
    """Raise if a ground-truth box is non-finite, inverted or of zero
    width or height, naming the image and the box.

    Such boxes are refused rather than dropped: they are broken data, not a
    matter of taste (COCO's loader already drops boxes under 1 pixel), and
    each does silent harm: a NaN box matches nothing and shifts the
    assignment of its neighbours, a zero-area box can make every anchor
    positive (MaxIoU with min_pos_iou 0), an inverted one trains on
    infinite or NaN localisation errors. A pipeline that makes them can
    drop them with mmdet's ``FilterAnnotations``.
    """
    for index, img_boxes in enumerate(boxes):
        img_boxes = get_box_tensor(img_boxes).detach()
        if img_boxes.numel() == 0:
            continue
        finite = torch.isfinite(img_boxes).all(1)
        width = img_boxes[:, 2] - img_boxes[:, 0]
        height = img_boxes[:, 3] - img_boxes[:, 1]
        bad = ~finite | (width <= 0) | (height <= 0)
        if not bad.any():
            continue
        box = int(torch.nonzero(bad)[0])
        what = ('non-finite' if not finite[box] else
                'inverted' if min(width[box], height[box]) < 0 else
                'of zero width or height')
        meta = img_metas[index] if img_metas else {}
        image = meta.get('img_path') or meta.get('img_id')
        image = f'image {index} of the batch' + (f' ({image})'
                                                 if image else '')
        raise ValueError(
            f'{type(head).__name__}: ground-truth box {box} of {image} is '
            f'{what}: {img_boxes[box].tolist()} (x1, y1, x2, y2); '
            f'{int(bad.sum())} such box(es) in that image. Fix the '
            "annotations, or drop such boxes with dict(type='"
            "FilterAnnotations', min_gt_bbox_wh=(1, 1)) in the pipeline")


def check_ground_truth(head, batch_gt_instances: InstanceList,
                       batch_img_metas: List[dict]) -> None:
    """:func:`check_gt_labels` and :func:`check_gt_boxes` of a batch."""
    check_gt_labels(head, [gt.labels for gt in batch_gt_instances])
    check_gt_boxes(head, [gt.bboxes for gt in batch_gt_instances],
                   batch_img_metas)


def flatten_levels(mlvl_tensors: List[Tensor], channels: int) -> Tensor:
    """(N, A*channels, H, W) per level -> (N * sum_l H*W*A, channels),
    image-major, then level, then location, then anchor."""
    num_imgs = mlvl_tensors[0].size(0)
    return torch.cat([
        t.permute(0, 2, 3, 1).reshape(num_imgs, -1, channels)
        for t in mlvl_tensors
    ], dim=1).reshape(-1, channels)


def levels_then_images(mlvl_tensors: List[Tensor], channels: int) -> Tensor:
    """(N, channels, H, W) per level -> (sum_l N * H*W, channels), level-major,
    then image, then location: the order of the targets of mmdet's point
    heads (FCOSHead, FoveaHead)."""
    return torch.cat([
        t.permute(0, 2, 3, 1).reshape(-1, channels) for t in mlvl_tensors
    ])


def level_major_points(points: List[Tensor], num_imgs: int) -> Tensor:
    """Per-level (n_level, ...) points -> the point of every row of
    :func:`levels_then_images` (each level's points once per image)."""
    return torch.cat([p.repeat(num_imgs, 1) for p in points])


def images_then_levels(per_level: List[Tensor]) -> Tensor:
    """Per-level (N, n_level, ...) targets -> (N * sum n_level, ...) rows,
    image-major like :func:`flatten_levels`."""
    return torch.cat(per_level, 1).reshape(-1, *per_level[0].shape[2:])


def image_major_anchors(anchor_list: List[list]) -> Tensor:
    """Every anchor of the batch as (N * num_anchors, 4) rows, image-major
    like :func:`flatten_levels`."""
    return get_box_tensor(torch.cat([cat_boxes(a) for a in anchor_list]))


def anchor_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
                 batch_gt_instances: InstanceList, batch_img_metas: List[dict],
                 batch_gt_instances_ignore: OptInstanceList) -> RankingBatch:
    """The whole batch of an mmdet AnchorHead, image-major (see
    :func:`flatten_levels`).

    Args:
        head: the anchor head; its ``get_targets`` assigns the targets
            (AnchorHead's contract, or ATSSHead's with the anchors first).
            With ``head.regresses_boxes`` (its objective compares boxes;
            ``reg_decoded_bbox`` then makes the targets gt boxes) the
            positives' deltas are decoded, else deltas and encoded targets
            are returned.
    """
    check_ground_truth(head, batch_gt_instances, batch_img_metas)
    featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
    anchor_list, valid_flag_list = head.get_anchors(
        featmap_sizes, batch_img_metas, device=cls_scores[0].device)
    # (ATSSHead.get_targets concatenates the per-level anchors in place)
    anchors = image_major_anchors(anchor_list)
    # AnchorHead's five outputs, or ATSSHead's six (the anchors first)
    labels, label_weights, targets, _, _ = head.get_targets(
        anchor_list, valid_flag_list, batch_gt_instances, batch_img_metas,
        batch_gt_instances_ignore)[-5:]
    labels = images_then_levels(labels)
    pos_rows = positive_rows(labels, head.num_classes)
    pos_preds = flatten_levels(bbox_preds,
                               head.bbox_coder.encode_size)[pos_rows]
    if head.regresses_boxes:
        pos_preds = get_box_tensor(head.bbox_coder.decode(
            anchors[pos_rows], pos_preds))
    return RankingBatch(
        logits=flatten_levels(cls_scores, head.cls_out_channels),
        labels=labels,
        label_weights=images_then_levels(label_weights),
        pos_rows=pos_rows,
        pos_preds=pos_preds,
        pos_targets=images_then_levels(targets)[pos_rows])


def paa_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
              batch_gt_instances: InstanceList, batch_img_metas: List[dict],
              batch_gt_instances_ignore: OptInstanceList) -> RankingBatch:
    """The whole batch of an mmdet PAAHead after PAA's re-assignment,
    image-major (image, then level, location, anchor).

    The initial positives of the head's assigner are scored by the head's
    ``get_pos_loss`` and split by a two-component GMM per gt
    (``paa_reassign``, no gradient); the rest of the candidates become
    negatives.

    Args:
        head: the PAA head (``reg_decoded_bbox``: its targets are gt
            boxes); with ``head.regresses_boxes`` the positives' deltas are
            decoded.
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
    if head.regresses_boxes:
        pos_preds = get_box_tensor(head.bbox_coder.decode(
            image_major_anchors(anchor_list)[pos_rows], pos_preds))
    return RankingBatch(
        logits=torch.cat(logits),
        labels=labels,
        label_weights=torch.cat(label_weights),
        pos_rows=pos_rows,
        pos_preds=pos_preds,
        pos_targets=torch.cat(targets)[pos_rows])


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
    distances in pixels from each point, decoded as mmdet does.
    """
    require_box_objective(head, 'rtmdet_batch')
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
        pos_targets=images_then_levels(targets)[pos_rows])


def fovea_decode(points: Tensor, base_lens: Tensor,
                 log_distances: Tensor) -> Tensor:
    """FoveaBox boxes: the point minus/plus ``base_len * exp(t)`` to the
    left, top, right and bottom (no clamping, so gradients reach every
    side)."""
    return distance2bbox(points, base_lens[:, None] * log_distances.exp())


def point_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
                batch_gt_instances: InstanceList, batch_img_metas: List[dict],
                batch_gt_instances_ignore: OptInstanceList = None
                ) -> RankingBatch:
    """The whole batch of an mmdet FoveaHead, level-major, then image, then
    location (FoveaHead's target order). Every non-positive point is a
    negative.

    Args:
        head: the FoveaHead; its ``get_targets`` assigns the targets. With
            ``head.regresses_boxes`` the positives' predicted and target
            log-distances are decoded into boxes, each with its own point
            and level base edge; otherwise the log-distances are returned.
        batch_gt_instances_ignore: unused, as in FoveaHead.
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
    if head.regresses_boxes:
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
        pos_targets=pos_targets)


def require_box_objective(head, gatherer: str) -> None:
    """Refuse a gatherer that always decodes boxes under an objective that
    regresses encoded targets (AP Loss's box loss on decoded boxes would
    mean something else)."""
    if not head.regresses_boxes:
        raise TypeError(f'{type(head).__name__}: {gatherer} gathers decoded '
                        'boxes, but its objective regresses encoded targets; '
                        'pair it with aLRP or Rank & Sort')


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
    its IoU loss. (With ``norm_on_bbox`` both are in units of the level's
    stride; (G)IoU does not change with the scale.)
    ``batch_gt_instances_ignore`` is unused, as in FCOSHead.
    """
    require_box_objective(head, 'fcos_batch')
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
                                           torch.cat(targets)[pos_rows]))


def roi_batch(head, cls_score: Tensor, bbox_pred: Tensor, rois: Tensor,
              labels: Tensor, label_weights: Tensor,
              bbox_targets: Tensor) -> RankingBatch:
    """Every RoI of the batch of an mmdet BBoxHead, with the targets of its
    ``get_targets`` (already checked by :func:`check_gt_labels` on the
    sampling results).

    With ``head.regresses_boxes`` the positives' deltas are decoded against
    their RoIs (``reg_decoded_bbox`` makes the targets gt boxes); otherwise
    the deltas are returned.
    """
    pos_rows = positive_rows(labels, head.num_classes)
    if head.reg_class_agnostic:
        pos_preds = bbox_pred[pos_rows]
    else:
        # explicit sizes: a batch may hold no RoI at all
        box_dim = bbox_pred.size(1) // head.num_classes
        pos_preds = bbox_pred.view(len(bbox_pred), head.num_classes,
                                   box_dim)[pos_rows, labels[pos_rows]]
    if head.regresses_boxes:
        pos_preds = get_box_tensor(
            head.bbox_coder.decode(rois[pos_rows, 1:], pos_preds))
    return RankingBatch(
        logits=cls_score,
        labels=labels,
        label_weights=label_weights,
        pos_rows=pos_rows,
        pos_preds=pos_preds,
        pos_targets=bbox_targets[pos_rows])


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
            pos_targets=bbox_cxcywh_to_xyxy(param_targets) * factors),
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
