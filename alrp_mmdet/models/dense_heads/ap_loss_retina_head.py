"""RetinaNet head trained with AP Loss, the paper's baseline (Table 2)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import RetinaHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..losses import APLoss
from ..utils import APLossHeadMixin, positive_rows
from .alrp_retina_head import anchor_batch_targets, flatten_levels


@MODELS.register_module()
class APLossRetinaHead(APLossHeadMixin, RetinaHead):
    """RetinaHead with AP Loss over the whole batch and ``loss_bbox``
    (paper: SmoothL1, beta 1) on the encoded deltas of the positives,
    averaged over their coordinates."""

    def __init__(self,
                 *args,
                 loss_cls: dict = dict(type='APLoss', use_sigmoid=True),
                 loss_bbox: dict = dict(type='SmoothL1Loss', beta=1.0),
                 **kwargs) -> None:
        super().__init__(*args, loss_cls=loss_cls, loss_bbox=loss_bbox,
                         **kwargs)
        if self.reg_decoded_bbox:
            raise ValueError('APLossRetinaHead regresses encoded deltas: '
                             'reg_decoded_bbox must be False')
        self._check_ranking_loss(APLoss, self.cls_out_channels)

    def loss_by_feat(self,
                     cls_scores: List[Tensor],
                     bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_gt_instances_ignore: OptInstanceList = None
                     ) -> dict:
        """AP Loss of the batch; see :meth:`APLossHeadMixin.ap_losses`."""
        featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
        anchor_list, valid_flag_list = self.get_anchors(
            featmap_sizes, batch_img_metas, device=cls_scores[0].device)
        _, labels, label_weights, delta_targets = anchor_batch_targets(
            self, anchor_list, valid_flag_list, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore)
        logits = flatten_levels(cls_scores, self.cls_out_channels)
        deltas = flatten_levels(bbox_preds, self.bbox_coder.encode_size)
        pos_rows = positive_rows(labels, self.num_classes)
        return self.ap_losses(logits, labels, label_weights, pos_rows,
                              deltas[pos_rows], delta_targets[pos_rows])
