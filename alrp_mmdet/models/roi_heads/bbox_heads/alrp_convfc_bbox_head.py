"""RoI box head of Faster R-CNN trained with aLRP Loss (Sec. 5.4, Table 8)."""
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.registry import MODELS
from ...utils import ALRPObjective, SigmoidRoIHeadMixin


@MODELS.register_module()
class ALRPShared2FCBBoxHead(SigmoidRoIHeadMixin, ALRPObjective,
                            Shared2FCBBoxHead):
    """Shared2FCBBoxHead whose RoIs of the whole batch are ranked by one
    aLRP Loss call.

    The classifier has ``num_classes`` sigmoid outputs and no background
    logit; at test time :meth:`ALRPLoss.get_activation` gives mmdet's NMS
    the background column it drops, so inference is StandardRoIHead's.
    Use it with ``PseudoSampler`` (every proposal is ranked). Arguments:
    Shared2FCBBoxHead's plus those of
    :class:`~alrp_mmdet.models.utils.ALRPObjective`.
    """
