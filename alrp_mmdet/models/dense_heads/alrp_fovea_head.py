"""FoveaBox head trained with aLRP Loss (paper Sec. 5.4, Table 7)."""
from mmdet.models.dense_heads import FoveaHead
from mmdet.registry import MODELS
from ..ranking_heads import ALRPObjective, alrp_batch_losses, point_batch


@MODELS.register_module()
class ALRPFoveaHead(ALRPObjective, FoveaHead):
    """FoveaHead whose whole batch (every point x class logit of every image
    and level) is ranked by one aLRP Loss call.

    Like FoveaHead, every non-positive point is a negative. For E_loc, each
    positive's predicted and target log-distances are decoded against its
    own point and level base edge. Branches, targets and inference are
    mmdet's FoveaHead; arguments are FoveaHead's plus ``tau``, ``loss_cls``
    and ``loss_bbox`` (:class:`~alrp_mmdet.models.ALRPObjective`).
    """

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """aLRP Loss of FoveaBox's points (ignored boxes are unused)."""
        return alrp_batch_losses(self, point_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=True))
