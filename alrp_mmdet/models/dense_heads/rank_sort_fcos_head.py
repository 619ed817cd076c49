"""FCOS head trained with Rank & Sort Loss (beyond the RS paper)."""
from mmdet.models.dense_heads import FCOSHead
from mmdet.registry import MODELS
from ..ranking_heads import (RankSortObjective, fcos_batch,
                             rank_sort_batch_losses, without_centerness)


@MODELS.register_module()
class RankSortFCOSHead(RankSortObjective, without_centerness(FCOSHead)):
    """FCOSHead without centerness whose whole batch is ranked and sorted
    by one RS Loss call, as RS-ATSS drops ATSS's centerness.

    The sorting targets are the IoUs of the positives' decoded boxes with
    their gt boxes, so the scores themselves learn the localisation quality
    that centerness estimated; inference scores are the sigmoid class
    probabilities alone (FCOS multiplies them by centerness).
    ``loss_centerness`` is unused; see
    :class:`~alrp_mmdet.models.RankSortObjective` for the losses.
    """

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """RS Loss and the value-balanced GIoU loss of FCOS's points."""
        return rank_sort_batch_losses(self, fcos_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore))
