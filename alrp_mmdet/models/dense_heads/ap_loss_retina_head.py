"""RetinaNet head trained with AP Loss, the paper's baseline (Table 2)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import RetinaHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import APLossObjective, anchor_batch


@MODELS.register_module()
class APLossRetinaHead(APLossObjective, RetinaHead):
    """RetinaHead with AP Loss over the whole batch and ``loss_bbox``
    (paper: SmoothL1, beta 1) on the positives' encoded deltas, averaged
    over their coordinates. Arguments: RetinaHead's plus those of
    :class:`~alrp_mmdet.models.utils.APLossObjective`."""

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """AP Loss of the batch plus the positives' delta regression.

        Args: the outputs of :meth:`forward` and the ground truth, as for
            :meth:`~alrp_mmdet.models.dense_heads.ALRPRetinaHead.loss_by_feat`.

        Returns:
            dict: ``loss_cls`` (AP Loss), ``loss_bbox`` and the diagnostics
            ``grad_balance`` and ``num_pos``.
        """
        return self.loss_by_batch(
            anchor_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                         batch_img_metas, batch_gt_instances_ignore))
