"""FoveaBox head trained with AP Loss, the baseline of paper Table 7."""
from mmdet.models.dense_heads import FoveaHead
from mmdet.registry import MODELS
from ..ranking_heads import APLossObjective, ap_loss_batch_losses, point_batch


@MODELS.register_module()
class APLossFoveaHead(APLossObjective, FoveaHead):
    """FoveaHead with AP Loss and, on the positives' log-distance targets,
    ``loss_bbox`` (paper: SmoothL1 with beta 0.11).

    Arguments: FoveaHead's plus those of
    :class:`~alrp_mmdet.models.APLossObjective`."""

    default_loss_bbox = dict(type='SmoothL1Loss', beta=0.11)

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """AP Loss of every point and class, the positives' regression."""
        return ap_loss_batch_losses(self, point_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=False))
