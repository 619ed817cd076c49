"""FoveaBox head trained with aLRP Loss (paper Sec. 5.4, Table 7)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import FoveaHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import ALRPObjective, point_batch


@MODELS.register_module()
class ALRPFoveaHead(ALRPObjective, FoveaHead):
    """FoveaHead whose whole batch (every point x class logit of every image
    and level) is ranked by one aLRP Loss call.

    Branches, targets and inference are mmdet's FoveaHead. Arguments:
    FoveaHead's plus those of
    :class:`~alrp_mmdet.models.utils.ALRPObjective`.
    """

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """aLRP loss of the batch.

        Like FoveaHead, every non-positive point is a negative. For E_loc,
        each positive's predicted and target log-distances are decoded
        against its own point and level base edge.

        Args:
            cls_scores (list[Tensor]): Box scores for each scale level,
                each of shape (N, num_classes, H, W).
            bbox_preds (list[Tensor]): Log-distances for each scale level,
                each of shape (N, 4, H, W).
            batch_gt_instances (list[:obj:`InstanceData`]): Ground truth of
                each image, with ``bboxes`` and ``labels``.
            batch_img_metas (list[dict]): Meta information of each image.
            batch_gt_instances_ignore (list[:obj:`InstanceData`], optional):
                Unused, as in FoveaHead.

        Returns:
            dict: ``loss_cls``, ``loss_bbox`` (SB-weighted) and the
            diagnostics ``sb_weight``, ``grad_balance``, ``num_pos`` and
            ``empty_batches``.
        """
        return self.loss_by_batch(
            point_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                        batch_img_metas))
