"""RetinaNet head trained with AP Loss, the paper's baseline (Table 2)."""
from typing import List, Tuple

from torch import Tensor

from mmdet.models.dense_heads import RetinaHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import APLossHeadMixin
from .alrp_retina_head import anchor_batch, anchor_batch_targets


@MODELS.register_module()
class APLossRetinaHead(APLossHeadMixin, RetinaHead):
    """RetinaHead with AP Loss over the whole batch and ``loss_bbox``
    (paper: SmoothL1, beta 1) on the encoded deltas of the positives,
    averaged over their coordinates."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.reg_decoded_bbox:
            raise ValueError('APLossRetinaHead regresses encoded deltas: '
                             'reg_decoded_bbox must be False')

    def batch_targets(self, *args) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """See :func:`anchor_batch_targets`."""
        return anchor_batch_targets(self, *args)

    def loss_by_feat(self,
                     cls_scores: List[Tensor],
                     bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_gt_instances_ignore: OptInstanceList = None
                     ) -> dict:
        """AP Loss of the batch; see :meth:`APLossHeadMixin.ap_losses`."""
        _, labels, label_weights, delta_targets, logits, deltas, pos_rows = \
            anchor_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                         batch_img_metas, batch_gt_instances_ignore)
        return self.ap_losses(logits, labels, label_weights, pos_rows,
                              deltas[pos_rows], delta_targets[pos_rows])
