"""RoI box head of Faster R-CNN trained with aLRP Loss (Sec. 5.4, Table 8)."""
from typing import Optional

from torch import Tensor

from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.registry import MODELS
from mmdet.structures.bbox import get_box_tensor
from ...losses import ALRPLoss
from ...utils import ALRPHeadMixin, positive_rows


@MODELS.register_module()
class ALRPShared2FCBBoxHead(ALRPHeadMixin, Shared2FCBBoxHead):
    """Shared2FCBBoxHead whose RoIs of the whole batch are ranked by one
    aLRP Loss call.

    The classifier has ``num_classes`` sigmoid outputs and no background
    logit; at test time :meth:`ALRPLoss.get_activation` gives mmdet's NMS
    the background column it drops, so inference is StandardRoIHead's.
    Use it with ``PseudoSampler`` (every proposal is ranked) and decoded
    boxes. Loss keys are ``loss_cls``, ``loss_bbox`` and the diagnostics of
    :meth:`ALRPHeadMixin.alrp_losses`.

    Arguments: see :class:`~alrp_mmdet.models.utils.ALRPHeadMixin`.
    """

    def __init__(self, *args, reg_decoded_bbox: bool = True,
                 **kwargs) -> None:
        super().__init__(*args, reg_decoded_bbox=reg_decoded_bbox, **kwargs)

    @property
    def classifier_width(self) -> int:
        return self.fc_cls.out_features

    @property
    def custom_cls_channels(self) -> bool:
        """An aLRP loss sets the classifier width (no background)."""
        return isinstance(self.loss_cls, ALRPLoss)

    @property
    def custom_activation(self) -> bool:
        """An aLRP loss gives the test-time scores (sigmoid)."""
        return isinstance(self.loss_cls, ALRPLoss)

    def loss(self,
             cls_score: Tensor,
             bbox_pred: Tensor,
             rois: Tensor,
             labels: Tensor,
             label_weights: Tensor,
             bbox_targets: Tensor,
             bbox_weights: Tensor,
             reduction_override: Optional[str] = None) -> dict:
        """aLRP loss of every RoI of the batch; ``bbox_targets`` are the
        gt boxes (``reg_decoded_bbox``)."""
        pos_rows = positive_rows(labels, self.num_classes)
        if self.reg_class_agnostic:
            pos_deltas = bbox_pred.view(len(bbox_pred), -1)[pos_rows]
        else:
            pos_deltas = bbox_pred.view(len(bbox_pred), self.num_classes,
                                        -1)[pos_rows, labels[pos_rows]]
        pred_boxes = get_box_tensor(
            self.bbox_coder.decode(rois[pos_rows, 1:], pos_deltas))
        return self.alrp_losses(cls_score, labels, label_weights, pos_rows,
                                pred_boxes, bbox_targets[pos_rows])
