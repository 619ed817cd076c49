"""RTMDet head trained with Rank & Sort Loss (beyond the papers)."""
from mmdet.models.dense_heads import RTMDetSepBNHead
from mmdet.registry import MODELS
from ..ranking_heads import (RankSortObjective, rank_sort_batch_losses,
                             rtmdet_batch)


@MODELS.register_module()
class RankSortRTMDetSepBNHead(RankSortObjective, RTMDetSepBNHead):
    """RTMDet's separated-BN head with Rank & Sort Loss and its
    value-balanced GIoU loss where RTMDet has QualityFocalLoss and a
    weighted GIoU loss; RS sorts by the IoU that the assigner's soft labels
    also hold (:func:`~alrp_mmdet.models.rtmdet_batch`)."""

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """One RS ranking of the batch after dynamic soft-label assignment."""
        return rank_sort_batch_losses(self, rtmdet_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore))
