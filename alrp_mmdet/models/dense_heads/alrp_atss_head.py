"""aLRP RetinaNet head trained with the ATSS assigner ("GIoU + ATSS")."""
from mmdet.registry import MODELS
from ..utils import ATSSAssignmentMixin
from .alrp_retina_head import ALRPRetinaHead


@MODELS.register_module()
class ALRPATSSHead(ATSSAssignmentMixin, ALRPRetinaHead):
    """:class:`ALRPRetinaHead` whose targets come from ATSS (paper Table 2,
    "aLRP Loss (GIoU + ATSS)"): the same RetinaNet branches, no centerness
    branch; ``train_cfg.assigner`` should be an ``ATSSAssigner``. Target
    assignment is mmdet's ATSSHead's (see
    :class:`~alrp_mmdet.models.utils.ATSSAssignmentMixin`); the loss is
    :meth:`ALRPRetinaHead.loss_by_feat`.
    """
