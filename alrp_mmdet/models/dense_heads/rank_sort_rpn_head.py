"""RPN trained with Rank & Sort Loss (RS paper; reference 2.3)."""
from typing import List

from torch import Tensor

from mmdet.models.dense_heads import RPNHead
from mmdet.registry import MODELS
from mmdet.utils import InstanceList, OptInstanceList
from ..losses.arg_checks import check_positive
from ..utils import RankSortObjective, anchor_batch, rpn_losses


@MODELS.register_module()
class RankSortRPNHead(RankSortObjective, RPNHead):
    """RPNHead whose whole batch of anchors (no sampling) is ranked and
    sorted by one RS Loss call, with the value-balanced GIoU loss.

    mmdet 3.x labels RPN foreground 0 (``num_classes`` 1). Every loss is
    multiplied by ``head_weight``, which also scales the RS gradients.

    Args:
        head_weight: weight of the RPN's losses in the detector (RS paper:
            0.2).
        Others: see :class:`~alrp_mmdet.models.utils.RankSortObjective`.
    """

    def __init__(self, *args, head_weight: float = 0.2, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.head_weight = check_positive(type(self).__name__, 'head_weight',
                                          head_weight)

    def loss_by_feat(
            self,
            cls_scores: List[Tensor],
            bbox_preds: List[Tensor],
            batch_gt_instances: InstanceList,
            batch_img_metas: List[dict],
            batch_gt_instances_ignore: OptInstanceList = None) -> dict:
        """Weighted RS loss of every anchor of the batch.

        Args:
            cls_scores (list[Tensor]): Objectness logits for each scale
                level, each of shape (N, num_anchors, H, W).
            bbox_preds (list[Tensor]): Box deltas for each scale level,
                each of shape (N, num_anchors * 4, H, W).
            batch_gt_instances (list[:obj:`InstanceData`]): Ground truth of
                each image (labels all 0, as TwoStageDetector gives them).
            batch_img_metas (list[dict]): Meta information of each image.
            batch_gt_instances_ignore (list[:obj:`InstanceData`], optional):
                Boxes of each image to ignore. Defaults to None.

        Returns:
            dict: ``loss_rpn_rank``, ``loss_rpn_sort`` and ``loss_rpn_bbox``
            (each times ``head_weight``) and the diagnostics prefixed with
            ``rpn_``.
        """
        return rpn_losses(
            self.loss_by_batch(
                anchor_batch(self, cls_scores, bbox_preds, batch_gt_instances,
                             batch_img_metas, batch_gt_instances_ignore,
                             boxes=True)), self.head_weight)
