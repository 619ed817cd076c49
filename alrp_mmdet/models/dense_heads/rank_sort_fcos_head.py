"""FCOS head trained with Rank & Sort Loss (beyond the RS paper)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import FCOSHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import NoCenternessMixin, RankSortObjective, fcos_batch


@MODELS.register_module()
class RankSortFCOSHead(NoCenternessMixin, RankSortObjective, FCOSHead):
    """FCOSHead without centerness whose whole batch is ranked and sorted
    by one RS Loss call, as RS-ATSS drops ATSS's centerness.

    Assignment is mmdet's FCOS ``get_targets``; the sorting targets are the
    IoUs of the positives' decoded boxes with their gt boxes, so the scores
    themselves learn the localisation quality that centerness estimated;
    inference scores are the sigmoid class probabilities alone (FCOS
    multiplies them by centerness). Arguments: FCOSHead's
    (``loss_centerness`` is unused) plus those of
    :class:`~alrp_mmdet.models.utils.RankSortObjective`.
    """

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """RS loss of the batch and its value-balanced, score-weighted
        GIoU loss.

        Args: as :meth:`~alrp_mmdet.models.dense_heads.ALRPFCOSHead.
            loss_by_feat`.

        Returns:
            dict: ``loss_rank``, ``loss_sort``, ``loss_bbox`` and the
            diagnostics ``bbox_weight``, ``grad_balance`` and ``num_pos``.
        """
        return self.loss_by_batch(
            fcos_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                       batch_img_metas))
