"""FoveaBox head trained with AP Loss, the baseline of paper Table 7."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import FoveaHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import APLossObjective, point_batch


@MODELS.register_module()
class APLossFoveaHead(APLossObjective, FoveaHead):
    """FoveaHead with AP Loss over the whole batch and ``loss_bbox``
    (paper: SmoothL1, beta 0.11) on the positives' log-distance targets,
    averaged over their coordinates. Arguments: FoveaHead's plus those of
    :class:`~alrp_mmdet.models.utils.APLossObjective`."""

    default_loss_bbox = dict(type='SmoothL1Loss', beta=0.11)

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """AP Loss of the batch plus the positives' box regression.

        Args: the outputs of :meth:`forward` and the ground truth, as for
            :meth:`~alrp_mmdet.models.dense_heads.ALRPFoveaHead.loss_by_feat`.

        Returns:
            dict: ``loss_cls`` (AP Loss), ``loss_bbox`` and the diagnostics
            ``grad_balance`` and ``num_pos``.
        """
        return self.loss_by_batch(
            point_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                        batch_img_metas))
