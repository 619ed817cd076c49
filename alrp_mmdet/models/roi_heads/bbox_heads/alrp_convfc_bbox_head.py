"""RoI box head of Faster R-CNN trained with aLRP Loss (Sec. 5.4, Table 8)."""
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.registry import MODELS
from ...ranking_heads import (ALRPObjective, alrp_batch_losses, roi_batch,
                              with_sigmoid_classifier)


@MODELS.register_module()
class ALRPShared2FCBBoxHead(ALRPObjective,
                            with_sigmoid_classifier(Shared2FCBBoxHead)):
    """Shared2FCBBoxHead whose RoIs of the whole batch are ranked by one
    aLRP Loss call.

    The classifier has ``num_classes`` sigmoid outputs and no background
    logit; at test time :meth:`ALRPLoss.get_activation` gives mmdet's NMS
    the background column it drops, so inference is StandardRoIHead's.
    Use it with ``PseudoSampler`` (every proposal is ranked). Arguments:
    Shared2FCBBoxHead's plus those of
    :class:`~alrp_mmdet.models.ALRPObjective`.
    """

    def loss(self, cls_score, bbox_pred, rois, labels, label_weights,
             bbox_targets, bbox_weights, reduction_override=None) -> dict:
        """aLRP Loss of every RoI of the batch (BBoxHead's arguments;
        ``bbox_weights`` and ``reduction_override`` are unused)."""
        return alrp_batch_losses(self, roi_batch(
            self, cls_score, bbox_pred, rois, labels, label_weights,
            bbox_targets, decode_boxes=True))
