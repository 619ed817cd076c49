"""RPN trained with Rank & Sort Loss (RS paper; reference 2.3)."""
from mmdet.registry import MODELS
from ..ranking_heads import (RankingRPNHead, RankSortObjective, anchor_batch,
                             rank_sort_batch_losses, rpn_losses)


@MODELS.register_module()
class RankSortRPNHead(RankSortObjective, RankingRPNHead):
    """RPNHead whose whole batch of anchors (no sampling) is ranked and
    sorted by one RS Loss call, with the value-balanced GIoU loss.

    Every loss is multiplied by ``head_weight`` (RS paper: 0.2), which also
    scales the RS gradients; keys are ``loss_rpn_rank``, ``loss_rpn_sort``,
    ``loss_rpn_bbox`` and ``rpn_*`` diagnostics. The initial classifier
    bias is RPNHead's (0), as in the RS code. Arguments: RPNHead's,
    ``head_weight`` and those of
    :class:`~alrp_mmdet.models.RankSortObjective`.
    """

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """Weighted RS Loss of every anchor, keys prefixed for the RPN."""
        return rpn_losses(rank_sort_batch_losses(self, anchor_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=True)),
            self.head_weight)
