"""FCOS head trained with aLRP Loss (beyond the paper)."""
from mmdet.models.dense_heads import FCOSHead
from mmdet.registry import MODELS
from ..ranking_heads import (ALRPObjective, alrp_batch_losses, fcos_batch,
                             without_centerness)


@MODELS.register_module()
class ALRPFCOSHead(ALRPObjective, without_centerness(FCOSHead)):
    """FCOSHead without centerness whose whole batch (every point x class
    logit of every image and level) is ranked by one aLRP Loss call.

    Assignment is mmdet's FCOS ``get_targets`` (regress ranges, center
    sampling as configured); E_loc compares each positive's decoded box with
    its gt box. aLRP's ranking already prefers well-localised positives
    (their E_loc enters every rank), so the centerness branch is dropped and
    inference scores are the sigmoid class probabilities alone (FCOS
    multiplies them by centerness). Arguments: FCOSHead's
    (``loss_centerness`` is unused) plus those of
    :class:`~alrp_mmdet.models.ALRPObjective`.
    """

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """aLRP Loss of the points FCOS assigns, as one ranking."""
        return alrp_batch_losses(self, fcos_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore))
