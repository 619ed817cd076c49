"""RTMDet head trained with Rank & Sort Loss (beyond the papers)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import RTMDetSepBNHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import RankSortObjective, rtmdet_batch


@MODELS.register_module()
class RankSortRTMDetSepBNHead(RankSortObjective, RTMDetSepBNHead):
    """RTMDetSepBNHead whose whole batch (every point x class logit of every
    image and level) goes into one Rank & Sort Loss call in place of
    QualityFocalLoss and the weighted GIoU loss.

    Tower, points, the dynamic soft-label assignment and inference are
    mmdet's RTMDet; what is ranked is described in
    :func:`~alrp_mmdet.models.utils.rtmdet_batch`. Arguments:
    RTMDetSepBNHead's plus those of
    :class:`~alrp_mmdet.models.utils.RankSortObjective`.
    """

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """Rank & Sort Loss of the batch and its value-balanced,
        score-weighted GIoU loss.

        Args: as :meth:`~alrp_mmdet.models.dense_heads.ALRPRTMDetSepBNHead.
            loss_by_feat`.

        Returns:
            dict: ``loss_rank``, ``loss_sort``, ``loss_bbox`` and the
            diagnostics ``bbox_weight``, ``grad_balance`` and ``num_pos``.
        """
        return self.loss_by_batch(
            rtmdet_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                         batch_img_metas, batch_gt_instances_ignore))
