"""PAA head trained with Rank & Sort Loss (RS paper; reference 2.2)."""
from typing import List, Optional, Tuple

import torch
from mmengine.structures import InstanceData
from torch import Tensor

from mmdet.models.dense_heads import PAAHead
from mmdet.models.dense_heads.base_dense_head import BaseDenseHead
from mmdet.models.layers import multiclass_nms
from mmdet.registry import MODELS
from mmdet.structures.bbox import get_box_tensor
from mmdet.utils import ConfigType
from ..ranking_heads import (RankSortObjective, check_divergence, paa_batch,
                             rank_sort_batch_losses, without_quality_branch)


@MODELS.register_module()
class RankSortPAAHead(RankSortObjective, without_quality_branch(PAAHead)):
    """PAAHead without its IoU branch, whose whole batch (after PAA's GMM
    re-assignment) is ranked and sorted by one RS Loss call (RS-PAA).

    Candidates are scored for the GMM by ``loss_score`` (focal loss, summed
    over classes) plus the GIoU loss of the decoded prediction, as in PAA;
    ``loss_cls`` is the RS Loss. At test time there is no IoU factor: the
    sigmoid scores go to NMS and, with ``score_voting``, each kept box is
    the score- and IoU-weighted vote of its class's candidates (mmdet's
    ``PAAHead.score_voting``). Needs scikit-learn (PAA's GMM).

    Args:
        loss_score: the candidate scoring loss of PAA's re-assignment.
        Others: PAAHead's (``loss_centerness`` is unused) and those of
            :class:`~alrp_mmdet.models.RankSortObjective`.
    """

    def __init__(self,
                 *args,
                 loss_score: ConfigType = dict(
                     type='FocalLoss',
                     use_sigmoid=True,
                     gamma=2.0,
                     alpha=0.25,
                     loss_weight=1.0),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.loss_score = MODELS.build(loss_score)

    def get_pos_loss(self, anchors: List[Tensor], cls_score: Tensor,
                     bbox_pred: Tensor, label: Tensor, label_weight: Tensor,
                     bbox_target: Tensor, bbox_weight: Tensor,
                     pos_inds: Tensor) -> Tuple[Tensor]:
        """PAA's score of each initial positive of one image: its
        ``loss_score`` over all classes plus its GIoU loss (no gradient is
        used), in float64. Diverged predictions raise, as in the loss."""
        if not len(pos_inds):
            return cls_score.new([]),
        # the GMM would fail on NaN scores: report divergence first
        check_divergence(self, cls_score[pos_inds], bbox_pred[pos_inds])
        boxes = get_box_tensor(self.bbox_coder.decode(
            torch.cat(anchors)[pos_inds], bbox_pred[pos_inds]))
        score_loss = self.loss_score(
            cls_score[pos_inds], label[pos_inds], label_weight[pos_inds],
            avg_factor=1.0, reduction_override='none').sum(-1)
        # float64: PAA's GMM fits these losses (about 10 to 20 early in
        # training); in float32 sklearn's variance update cancels and
        # raises "ill-defined empirical covariance"
        return (score_loss + self.loss_bbox(
            boxes, bbox_target[pos_inds])).double(),

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """RS Loss of the batch after PAA's re-assignment and its
        value-balanced, score-weighted GIoU loss."""
        return rank_sort_batch_losses(self, paa_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore, decode_boxes=True))

    def _predict_by_feat_single(self, *args, **kwargs) -> InstanceData:
        """The dense-head prediction without score factors."""
        return BaseDenseHead._predict_by_feat_single(self, *args, **kwargs)

    def _bbox_post_process(self,
                           results: InstanceData,
                           cfg: ConfigType,
                           rescale: bool = False,
                           with_nms: bool = True,
                           img_meta: Optional[dict] = None) -> InstanceData:
        """Rescale, NMS on the sigmoid scores, then PAA's score voting."""
        if rescale:
            results.bboxes /= results.bboxes.new_tensor(
                img_meta['scale_factor']).repeat((1, 2))
        scores = results.scores.new_zeros(len(results), self.num_classes + 1)
        scores[:, :-1] = results.scores[:, None] * \
            (results.labels[:, None] == scores.new_tensor(
                range(self.num_classes)))
        det_bboxes, det_labels = multiclass_nms(
            results.bboxes, scores, cfg.score_thr, cfg.nms, cfg.max_per_img)
        if self.with_score_voting and len(det_bboxes) > 0:
            det_bboxes, det_labels = self.score_voting(
                det_bboxes, det_labels, results.bboxes, scores,
                cfg.score_thr)
        nms_results = InstanceData()
        nms_results.bboxes = det_bboxes[:, :-1]
        nms_results.scores = det_bboxes[:, -1]
        nms_results.labels = det_labels
        return nms_results
