"""RPN trained with aLRP Loss (paper Sec. 5.4, Table 8)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import RPNHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..losses.arg_checks import check_positive
from ..utils import ALRPObjective, anchor_batch, rpn_losses


@MODELS.register_module()
class ALRPRPNHead(ALRPObjective, RPNHead):
    """RPNHead whose whole batch of anchors (no sampling) is ranked by one
    aLRP Loss call.

    mmdet 3.x labels RPN foreground 0 and background 1 (``num_classes`` is
    1). The loss is ``head_weight * (L_cls + SB * L_loc)``; the weight also
    scales the score gradients, and the RPN's SB weight (its own
    ``ALRPLoss``) is unaffected by it because SB is a ratio.

    Args:
        head_weight: weight of the RPN's loss in the detector (paper: 0.2).
        tau: IoU threshold of E_loc; the paper uses the RPN's positive IoU
            threshold, 0.7.
        init_cfg: as RPNHead, with the classifier bias set for a prior
            probability of 0.01 as in the paper's code.
        Others: see :class:`~alrp_mmdet.models.utils.ALRPObjective`.
    """

    def __init__(self,
                 *args,
                 head_weight: float = 0.2,
                 tau: float = 0.7,
                 init_cfg: dict = dict(
                     type='Normal',
                     layer='Conv2d',
                     std=0.01,
                     override=dict(
                         type='Normal', name='rpn_cls', std=0.01,
                         bias_prob=0.01)),
                 **kwargs) -> None:
        super().__init__(*args, tau=tau, init_cfg=init_cfg, **kwargs)
        self.head_weight = check_positive(type(self).__name__, 'head_weight',
                                          head_weight)

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """Weighted aLRP loss of every anchor of the batch.

        Args:
            cls_scores (list[Tensor]): Objectness logits for each scale
                level, each of shape (N, num_anchors, H, W).
            bbox_preds (list[Tensor]): Box deltas for each scale level,
                each of shape (N, num_anchors * 4, H, W).
            batch_gt_instances (list[:obj:`InstanceData`]): Ground truth of
                each image (labels all 0, as TwoStageDetector gives them).
            batch_img_metas (list[dict]): Meta information of each image.
            batch_gt_instances_ignore (list[:obj:`InstanceData`], optional):
                Boxes of each image to ignore. Defaults to None.

        Returns:
            dict: ``loss_rpn_cls`` and ``loss_rpn_bbox`` (both times
            ``head_weight``) and the diagnostics prefixed with ``rpn_``, so
            that TwoStageDetector keeps them apart from the RoI head's.
        """
        return rpn_losses(
            self.loss_by_batch(
                anchor_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                             batch_img_metas, batch_gt_instances_ignore,
                             boxes=True)), self.head_weight)
