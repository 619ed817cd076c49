"""FCOS head trained with aLRP Loss (beyond the paper)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import FCOSHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import ALRPObjective, NoCenternessMixin, fcos_batch


@MODELS.register_module()
class ALRPFCOSHead(NoCenternessMixin, ALRPObjective, FCOSHead):
    """FCOSHead without centerness whose whole batch (every point x class
    logit of every image and level) is ranked by one aLRP Loss call.

    Assignment is mmdet's FCOS ``get_targets`` (regress ranges, center
    sampling as configured); E_loc compares each positive's decoded box with
    its gt box. aLRP's ranking already prefers well-localised positives
    (their E_loc enters every rank), so the centerness branch is dropped and
    inference scores are the sigmoid class probabilities alone (FCOS
    multiplies them by centerness). Arguments: FCOSHead's
    (``loss_centerness`` is unused) plus those of
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

        Args:
            cls_scores (list[Tensor]): Box scores for each scale level,
                each of shape (N, num_classes, H, W).
            bbox_preds (list[Tensor]): Distances to the box sides for each
                scale level, each of shape (N, 4, H, W).
            batch_gt_instances (list[:obj:`InstanceData`]): Ground truth of
                each image, with ``bboxes`` and ``labels``.
            batch_img_metas (list[dict]): Meta information of each image.
            batch_gt_instances_ignore (list[:obj:`InstanceData`], optional):
                Unused, as in FCOSHead.

        Returns:
            dict: ``loss_cls``, ``loss_bbox`` (SB-weighted) and the
            diagnostics ``sb_weight``, ``grad_balance``, ``num_pos`` and
            ``empty_batches``.
        """
        return self.loss_by_batch(
            fcos_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                       batch_img_metas))
