"""RTMDet head trained with aLRP Loss (beyond the papers)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import RTMDetSepBNHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import ALRPObjective, rtmdet_batch


@MODELS.register_module()
class ALRPRTMDetSepBNHead(ALRPObjective, RTMDetSepBNHead):
    """RTMDetSepBNHead whose whole batch (every point x class logit of every
    image and level) goes into one aLRP Loss call in place of
    QualityFocalLoss and the weighted GIoU loss.

    Tower, points, the dynamic soft-label assignment and inference are
    mmdet's RTMDet; what is ranked is described in
    :func:`~alrp_mmdet.models.utils.rtmdet_batch`. Arguments:
    RTMDetSepBNHead's plus those of
    :class:`~alrp_mmdet.models.utils.ALRPObjective`.
    """

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """aLRP Loss of the batch.

        Args:
            cls_scores (list[Tensor]): Box scores for each scale level,
                each of shape (N, num_classes, H, W).
            bbox_preds (list[Tensor]): Distances in pixels from each point
                to the box sides for each scale level, (N, 4, H, W).
            batch_gt_instances (list[:obj:`InstanceData`]): Ground truth of
                each image, with ``bboxes`` and ``labels``.
            batch_img_metas (list[dict]): Meta information of each image.
            batch_gt_instances_ignore (list[:obj:`InstanceData`], optional):
                Ignored boxes, passed to the assigner as mmdet's RTMDet does.

        Returns:
            dict: ``loss_cls``, ``loss_bbox`` (SB-weighted) and the
            diagnostics ``sb_weight``, ``grad_balance``, ``num_pos`` and
            ``empty_batches``.
        """
        return self.loss_by_batch(
            rtmdet_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                         batch_img_metas, batch_gt_instances_ignore))
