"""RetinaNet head trained with aLRP Loss (paper Sec. 5, Tables 2 and 6)."""
from mmdet.models.dense_heads import RetinaHead
from mmdet.registry import MODELS
from ..ranking_heads import ALRPObjective, alrp_batch_losses, anchor_batch


@MODELS.register_module()
class ALRPRetinaHead(ALRPObjective, RetinaHead):
    """RetinaHead whose whole batch (every anchor x class logit of every
    image and level) is ranked by one aLRP Loss call.

    Branches, anchors, assigner, coder and inference are mmdet's; only
    ``loss_by_feat`` changes. Arguments: RetinaHead's plus those of
    :class:`~alrp_mmdet.models.ALRPObjective` (``tau``, ``loss_cls``
    = ``ALRPLoss``, ``loss_bbox`` = ``GIoULoss``).
    """

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """aLRP Loss (Eq. 11) of the anchors the configured assigner
        labels; arguments as RetinaHead's, dict of
        :func:`~alrp_mmdet.models.alrp_batch_losses`."""
        return alrp_batch_losses(self, anchor_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=True))
