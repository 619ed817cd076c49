"""ATSS head trained with Rank & Sort Loss (RS paper; reference 2.1)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import ATSSHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import NoQualityBranchMixin, RankSortObjective, anchor_batch


@MODELS.register_module()
class RankSortATSSHead(NoQualityBranchMixin, RankSortObjective, ATSSHead):
    """ATSSHead without its centerness branch, whose whole batch is ranked
    and sorted by one RS Loss call (RS-ATSS).

    The tower is mmdet's ATSS tower (GN, a learnable scale per level on the
    regression); the paper's config uses 3 anchors per location (octave
    base scale 4, 3 scales, ratio 1). Inference is mmdet's dense-head path
    without score factors. Arguments: ATSSHead's (``loss_centerness`` is
    unused) plus those of
    :class:`~alrp_mmdet.models.utils.RankSortObjective`.
    """

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """RS loss of the batch (ATSS assignment, every anchor and class in
        one ranking) and its value-balanced, score-weighted GIoU loss.

        Args: as
            :meth:`~alrp_mmdet.models.dense_heads.ALRPRetinaHead.loss_by_feat`.

        Returns:
            dict: ``loss_rank``, ``loss_sort``, ``loss_bbox`` and the
            diagnostics ``bbox_weight``, ``grad_balance`` and ``num_pos``.
        """
        return self.loss_by_batch(
            anchor_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                         batch_img_metas, batch_gt_instances_ignore))
