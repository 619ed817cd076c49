"""RoI box head trained with Rank & Sort Loss (RS paper; reference 2.4)."""
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.registry import MODELS
from ...utils import RankSortObjective, SigmoidRoIHeadMixin


@MODELS.register_module()
class RankSortShared2FCBBoxHead(SigmoidRoIHeadMixin, RankSortObjective,
                                Shared2FCBBoxHead):
    """Shared2FCBBoxHead whose RoIs of the whole batch are ranked and
    sorted by one RS Loss call (RS-Faster R-CNN, RS-Cascade R-CNN stages).

    ``num_classes`` sigmoid logits and no background logit; inference is
    StandardRoIHead's. The RS paper ranks every proposal plus the gt boxes:
    use ``RandomSampler`` with ``num=10**10`` and
    ``add_gt_as_proposals=True`` (mmdet's PseudoSampler adds no gts).
    Arguments: Shared2FCBBoxHead's plus those of
    :class:`~alrp_mmdet.models.utils.RankSortObjective`.
    """
