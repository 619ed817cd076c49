"""The geometry axis of the two-stage detectors' box heads: every RoI of
the batch as one :class:`~.ranking_batch.RankingBatch`."""
from torch import Tensor

from mmdet.structures.bbox import get_box_tensor
from .ranking_batch import RankingBatch, positive_rows


def roi_batch(head, cls_score: Tensor, bbox_pred: Tensor, rois: Tensor,
              labels: Tensor, label_weights: Tensor, bbox_targets: Tensor, *,
              decode_boxes: bool) -> RankingBatch:
    """Every RoI of the batch of an mmdet BBoxHead, with the targets of its
    ``get_targets`` (already checked by :func:`check_gt_labels` on the
    sampling results).

    With ``decode_boxes`` the positives' deltas are decoded against their
    RoIs (the objective's ``reg_decoded_bbox`` makes the targets gt boxes);
    otherwise the deltas are returned.
    """
    pos_rows = positive_rows(labels, head.num_classes)
    if head.reg_class_agnostic:
        pos_preds = bbox_pred[pos_rows]
    else:
        # explicit sizes: a batch may hold no RoI at all
        box_dim = bbox_pred.size(1) // head.num_classes
        pos_preds = bbox_pred.view(len(bbox_pred), head.num_classes,
                                   box_dim)[pos_rows, labels[pos_rows]]
    if decode_boxes:
        pos_preds = get_box_tensor(
            head.bbox_coder.decode(rois[pos_rows, 1:], pos_preds))
    return RankingBatch(
        logits=cls_score,
        labels=labels,
        label_weights=label_weights,
        pos_rows=pos_rows,
        pos_preds=pos_preds,
        pos_targets=bbox_targets[pos_rows],
        boxes_decoded=decode_boxes)
