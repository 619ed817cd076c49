"""RetinaNet head trained with aLRP Loss (paper Sec. 5, Tables 2 and 6)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import RetinaHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import ALRPObjective, anchor_batch


@MODELS.register_module()
class ALRPRetinaHead(ALRPObjective, RetinaHead):
    """RetinaHead whose whole batch (every anchor x class logit of every
    image and level) is ranked by one aLRP Loss call.

    Branches, anchors, assigner, coder and inference are mmdet's; only
    ``loss_by_feat`` changes. Arguments: RetinaHead's plus those of
    :class:`~alrp_mmdet.models.utils.ALRPObjective` (``tau``, ``loss_cls``
    = ``ALRPLoss``, ``loss_bbox`` = ``GIoULoss``).
    """

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """aLRP loss of the batch.

        Targets come from the configured assigner for every anchor of every
        image; the positives' deltas are decoded with the configured coder
        and compared with their gt boxes by ``loss_bbox`` (E_loc, Eq. 6).

        Args:
            cls_scores (list[Tensor]): Box scores for each scale level,
                each of shape (N, num_anchors * num_classes, H, W).
            bbox_preds (list[Tensor]): Box deltas for each scale level,
                each of shape (N, num_anchors * 4, H, W).
            batch_gt_instances (list[:obj:`InstanceData`]): Ground truth of
                each image, with ``bboxes`` and ``labels``.
            batch_img_metas (list[dict]): Meta information of each image.
            batch_gt_instances_ignore (list[:obj:`InstanceData`], optional):
                Boxes of each image to ignore. Defaults to None.

        Returns:
            dict: ``loss_cls`` (ranking part, carrying the whole aLRP
            gradient to the scores), ``loss_bbox`` (SB-weighted
            localisation part) and the diagnostics ``sb_weight``,
            ``grad_balance``, ``num_pos`` and ``empty_batches``.
        """
        return self.loss_by_batch(
            anchor_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                         batch_img_metas, batch_gt_instances_ignore))
