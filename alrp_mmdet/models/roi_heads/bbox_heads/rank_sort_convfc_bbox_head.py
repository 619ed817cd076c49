"""RoI box head trained with Rank & Sort Loss (RS paper; reference 2.4)."""
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.registry import MODELS
from ...ranking_heads import (RankSortObjective, rank_sort_batch_losses,
                              roi_batch, with_sigmoid_classifier)


@MODELS.register_module()
class RankSortShared2FCBBoxHead(RankSortObjective,
                                with_sigmoid_classifier(Shared2FCBBoxHead)):
    """Shared2FCBBoxHead whose RoIs of the whole batch are ranked and
    sorted by one RS Loss call (RS-Faster R-CNN, RS-Cascade R-CNN stages).

    ``num_classes`` sigmoid logits and no background logit; inference is
    StandardRoIHead's. The RS paper ranks every proposal plus the gt boxes:
    use ``RandomSampler`` with ``num=10**10`` and
    ``add_gt_as_proposals=True`` (mmdet's PseudoSampler adds no gts).
    Arguments: Shared2FCBBoxHead's plus those of
    :class:`~alrp_mmdet.models.RankSortObjective`.
    """

    def loss(self, cls_score, bbox_pred, rois, labels, label_weights,
             bbox_targets, bbox_weights, reduction_override=None) -> dict:
        """RS Loss of the sampled RoIs with the balanced GIoU loss; the
        last two arguments (BBoxHead's) are unused."""
        return rank_sort_batch_losses(self, roi_batch(
            self, cls_score, bbox_pred, rois, labels, label_weights,
            bbox_targets, decode_boxes=True))
