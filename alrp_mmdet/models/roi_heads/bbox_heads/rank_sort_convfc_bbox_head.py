"""RoI box head trained with Rank & Sort Loss (RS paper; reference 2.4)."""
from typing import Optional

from torch import Tensor

from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from mmdet.registry import MODELS
from ...utils import RankSortObjective, SigmoidRoIHeadMixin, roi_batch


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

    def loss(self,
             cls_score: Tensor,
             bbox_pred: Tensor,
             rois: Tensor,
             labels: Tensor,
             label_weights: Tensor,
             bbox_targets: Tensor,
             bbox_weights: Tensor,
             reduction_override: Optional[str] = None) -> dict:
        """RS loss of every RoI of the batch.

        Args:
            cls_score (Tensor): (num_rois, num_classes) logits.
            bbox_pred (Tensor): (num_rois, 4) or (num_rois, num_classes * 4)
                deltas.
            rois (Tensor): (num_rois, 5) RoIs with their image index.
            labels (Tensor): (num_rois, ) targets; ``num_classes`` is
                background.
            label_weights (Tensor): (num_rois, ); 0 ignores a RoI.
            bbox_targets (Tensor): (num_rois, 4) gt boxes
                (``reg_decoded_bbox``).
            bbox_weights (Tensor): Unused: the RS box loss weighs each
                positive by its detached highest class probability.
            reduction_override (str, optional): Unused.

        Returns:
            dict: ``loss_rank``, ``loss_sort``, ``loss_bbox`` and the
            diagnostics ``bbox_weight``, ``grad_balance`` and ``num_pos``.
        """
        return self.loss_by_batch(
            roi_batch(self, cls_score, bbox_pred, rois, labels, label_weights,
                      bbox_targets, boxes=True))
