"""RPN trained with Rank & Sort Loss (RS paper; reference 2.3)."""
from mmdet.models.dense_heads import RPNHead
from mmdet.registry import MODELS
from ..utils import RankingRPNMixin, RankSortObjective


@MODELS.register_module()
class RankSortRPNHead(RankingRPNMixin, RankSortObjective, RPNHead):
    """RPNHead whose whole batch of anchors (no sampling) is ranked and
    sorted by one RS Loss call, with the value-balanced GIoU loss.

    Every loss is multiplied by ``head_weight`` (RS paper: 0.2), which also
    scales the RS gradients; keys are ``loss_rpn_rank``, ``loss_rpn_sort``,
    ``loss_rpn_bbox`` and ``rpn_*`` diagnostics
    (:class:`~alrp_mmdet.models.utils.RankingRPNMixin`). The initial
    classifier bias is RPNHead's (0), as in the RS code. Arguments:
    RPNHead's, ``head_weight`` and those of
    :class:`~alrp_mmdet.models.utils.RankSortObjective`.
    """
