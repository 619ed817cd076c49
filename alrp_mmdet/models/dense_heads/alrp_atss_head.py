"""aLRP RetinaNet head trained with the ATSS assigner ("GIoU + ATSS")."""
from mmdet.models.dense_heads import RetinaHead
from mmdet.registry import MODELS
from ..ranking_heads import (ALRPObjective, alrp_batch_losses, anchor_batch,
                             with_atss_assignment)


@MODELS.register_module()
class ALRPATSSHead(ALRPObjective, with_atss_assignment(RetinaHead)):
    """The RetinaNet branches of :class:`ALRPRetinaHead` (no centerness
    branch) with ATSS's target assignment (paper Table 2, "aLRP Loss (GIoU
    + ATSS)"); ``train_cfg.assigner`` should be an ``ATSSAssigner``. See
    :func:`~alrp_mmdet.models.with_atss_assignment`.
    """

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """aLRP Loss of the batch, its anchors labelled by ATSS: the
        loss of :class:`ALRPRetinaHead` with other targets."""
        return alrp_batch_losses(self, anchor_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=True))
