"""ATSS head trained with Rank & Sort Loss (RS paper; reference 2.1)."""
from mmdet.models.dense_heads import ATSSHead
from mmdet.registry import MODELS
from ..ranking_heads import (RankSortObjective, atss_batch,
                             rank_sort_batch_losses, without_quality_branch)


@MODELS.register_module()
class RankSortATSSHead(RankSortObjective, without_quality_branch(ATSSHead)):
    """ATSSHead without its centerness branch, whose whole batch is ranked
    and sorted by one RS Loss call (RS-ATSS).

    The tower is mmdet's ATSS tower (GN, a learnable scale per level on the
    regression); the paper's config uses 3 anchors per location (octave
    base scale 4, 3 scales, ratio 1). Inference is mmdet's dense-head path
    without score factors. Arguments: ATSSHead's (``loss_centerness`` is
    unused) plus those of
    :class:`~alrp_mmdet.models.RankSortObjective`.
    """

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """RS Loss of ATSS's anchors: ``loss_rank``, ``loss_sort``, the
        balanced ``loss_bbox``; ``bbox_weight``, ``grad_balance``,
        ``num_pos``."""
        return rank_sort_batch_losses(self, atss_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=True))
