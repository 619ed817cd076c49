"""RoI box head of Faster R-CNN trained with aLRP Loss (Sec. 5.4, Table 8)."""
from typing import Optional

from torch import Tensor

from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.registry import MODELS
from ...utils import ALRPObjective, SigmoidRoIHeadMixin, roi_batch


@MODELS.register_module()
class ALRPShared2FCBBoxHead(SigmoidRoIHeadMixin, ALRPObjective,
                            Shared2FCBBoxHead):
    """Shared2FCBBoxHead whose RoIs of the whole batch are ranked by one
    aLRP Loss call.

    The classifier has ``num_classes`` sigmoid outputs and no background
    logit; at test time :meth:`ALRPLoss.get_activation` gives mmdet's NMS
    the background column it drops, so inference is StandardRoIHead's.
    Use it with ``PseudoSampler`` (every proposal is ranked). Arguments:
    Shared2FCBBoxHead's plus those of
    :class:`~alrp_mmdet.models.utils.ALRPObjective`.
    """

    def loss(self,
             cls_score: Tensor,
             bbox_pred: Tensor,
             rois: Tensor,
             labels: Tensor,
             label_weights: Tensor,
             bbox_targets: Tensor,
             bbox_weights: Tensor,
             reduction_override: Optional[str] = None) -> dict:
        """aLRP loss of every RoI of the batch.

        Args:
            cls_score (Tensor): (num_rois, num_classes) logits.
            bbox_pred (Tensor): (num_rois, 4) or (num_rois, num_classes * 4)
                deltas.
            rois (Tensor): (num_rois, 5) RoIs with their image index.
            labels (Tensor): (num_rois, ) targets; ``num_classes`` is
                background.
            label_weights (Tensor): (num_rois, ); 0 ignores a RoI.
            bbox_targets (Tensor): (num_rois, 4) gt boxes
                (``reg_decoded_bbox``).
            bbox_weights (Tensor): Unused: every positive counts once.
            reduction_override (str, optional): Unused.

        Returns:
            dict: ``loss_cls``, ``loss_bbox`` (SB-weighted) and the
            diagnostics ``sb_weight``, ``grad_balance``, ``num_pos`` and
            ``empty_batches``.
        """
        return self.loss_by_batch(
            roi_batch(self, cls_score, bbox_pred, rois, labels, label_weights,
                      bbox_targets, boxes=True))
