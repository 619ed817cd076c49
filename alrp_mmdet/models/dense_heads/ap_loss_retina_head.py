"""RetinaNet head trained with AP Loss, the paper's baseline (Table 2)."""
from mmdet.models.dense_heads import RetinaHead
from mmdet.registry import MODELS
from ..ranking_heads import APLossObjective, anchor_batch, ap_loss_batch_losses


@MODELS.register_module()
class APLossRetinaHead(APLossObjective, RetinaHead):
    """RetinaHead with AP Loss over the whole batch and ``loss_bbox``
    (paper: SmoothL1, beta 1) on the positives' encoded deltas, averaged
    over their coordinates. Arguments: RetinaHead's plus those of
    :class:`~alrp_mmdet.models.APLossObjective`."""

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """``loss_cls`` (AP Loss of every anchor x class), ``loss_bbox``
        (the positives' deltas), ``grad_balance`` and ``num_pos``."""
        return ap_loss_batch_losses(self, anchor_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=False))
