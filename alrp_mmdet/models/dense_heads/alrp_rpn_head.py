"""RPN trained with aLRP Loss (paper Sec. 5.4, Table 8)."""
from mmdet.registry import MODELS
from ..ranking_heads import (ALRPObjective, RankingRPNHead, alrp_batch_losses,
                             anchor_batch, rpn_losses)


@MODELS.register_module()
class ALRPRPNHead(ALRPObjective, RankingRPNHead):
    """RPNHead whose whole batch of anchors (no sampling) is ranked by one
    aLRP Loss call.

    The loss is ``head_weight * (L_cls + SB * L_loc)``; the weight also
    scales the score gradients, and the RPN's SB weight (its own
    ``ALRPLoss``) is unaffected by it because SB is a ratio. Keys are
    ``loss_rpn_cls``, ``loss_rpn_bbox`` and ``rpn_*`` diagnostics.

    Args:
        head_weight: weight of the RPN's loss in the detector (paper: 0.2).
        tau: IoU threshold of E_loc; the paper uses the RPN's positive IoU
            threshold, 0.7.
        init_cfg: as RPNHead, with the classifier bias set for a prior
            probability of 0.01 as in the paper's code.
        Others: see :class:`~alrp_mmdet.models.ALRPObjective`.
    """

    def __init__(self,
                 *args,
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

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """``head_weight`` times aLRP Loss of every anchor (objectness)."""
        return rpn_losses(alrp_batch_losses(self, anchor_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=True)),
            self.head_weight)
