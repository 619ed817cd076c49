"""FoveaBox head trained with AP Loss, the baseline of paper Table 7."""
from typing import List

import torch
from torch import Tensor

from mmdet.models.dense_heads import FoveaHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import APLossHeadMixin
from .alrp_fovea_head import fovea_batch


@MODELS.register_module()
class APLossFoveaHead(APLossHeadMixin, FoveaHead):
    """FoveaHead with AP Loss over the whole batch and ``loss_bbox``
    (paper: SmoothL1, beta 0.11) on the log-distance targets of the
    positives, averaged over their coordinates."""

    default_loss_bbox = dict(type='SmoothL1Loss', beta=0.11)

    def loss_by_feat(self,
                     cls_scores: List[Tensor],
                     bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_gt_instances_ignore: OptInstanceList = None
                     ) -> dict:
        """AP Loss of the batch; see :meth:`APLossHeadMixin.ap_losses`."""
        logits, preds, labels, targets, _, _, pos_rows = fovea_batch(
            self, cls_scores, bbox_preds, batch_gt_instances)
        return self.ap_losses(logits, labels, torch.ones_like(labels),
                              pos_rows, preds[pos_rows], targets[pos_rows])
