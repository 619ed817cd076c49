"""The RoI head of RS-Mask R-CNN (RS paper; reference 2.5-2.6)."""
import copy
from typing import List, Tuple

import torch
from torch import Tensor

from mmdet.models.losses import DiceLoss
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.models.utils import unpack_gt_instances
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.structures.bbox import bbox2roi
from mmdet.utils import InstanceList
from ..ranking_heads import (RankSortBatchResult, RankSortObjective,
                             rank_sort_losses_and_weights, roi_batch,
                             value_balance, weighted_mean)
from .ranking_roi_head import RankingRoIHead, check_batch_ground_truth


def rank_sort_mask_loss(mask_losses: Tensor, weights: Tensor,
                        rs_value: Tensor) -> Tensor:
    """RS-Mask R-CNN's mask loss (RS paper; reference 2.6): the per-RoI
    mask losses (Dice) averaged with the box head's weights w_i (the
    detached highest class probability of each positive RoI; denominator 1
    when sum w < 1e-12), times the detached lambda = RS value / that mean
    (:func:`value_balance`), so its value equals the RoI head's loss_rank +
    loss_sort. Without RoIs: 0, still reaching the mask logits."""
    if len(mask_losses) == 0:
        return mask_losses.sum() * 0
    if weights.shape != mask_losses.shape:
        raise ValueError(f'{len(weights)} box weights for '
                         f'{len(mask_losses)} mask RoIs')
    mask_loss = weighted_mean(mask_losses, weights)
    return mask_loss * value_balance(rs_value, mask_loss)


@MODELS.register_module()
class RankSortRoIHead(RankingRoIHead):
    """StandardRoIHead whose mask loss is balanced by the RS value of its
    box head (RS-Mask R-CNN); every gt box is checked as in
    :class:`RankingRoIHead`.

    :meth:`loss` reads as the path to the core: the box head (a
    ``RankSortShared2FCBBoxHead``) gets RS Loss on every sampled RoI
    (:func:`~alrp_mmdet.models.rank_sort_losses_and_weights` of
    :func:`~alrp_mmdet.models.roi_batch`), whose result (the RS value and
    the positives' weights w_i) is passed to the mask loss. The mask branch
    (a separate mask RoI extractor, as Mask R-CNN's) ranks nothing: per
    positive RoI it takes the Dice loss of the gt class's 28 x 28 logits
    (the mask head's ``loss_mask``: mmdet's ``DiceLoss`` with
    ``reduction='none'``, ``eps=5e-6``: 1 - 2 sum(p t) / (sum p^2 + sum t^2
    + 1e-5) as in the RS code), averages them with the weights w_i and
    rescales the mean to the box head's loss_rank + loss_sort
    (:func:`rank_sort_mask_loss`). When the batch has more than
    ``max_mask_rois`` positive RoIs, that many are drawn uniformly at
    random for the mask branch, each keeping its own weight
    (the RS code paired the weights with the wrong RoIs there when a batch
    had more than one image).

    Args:
        max_mask_rois: most positive RoIs per batch for the mask branch
            (RS code: 200).
        Others: StandardRoIHead's.
    """

    def __init__(self, *args, max_mask_rois: int = 200, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        name = type(self).__name__
        if isinstance(max_mask_rois, bool) or \
                not isinstance(max_mask_rois, int) or max_mask_rois < 1:
            raise ValueError(f'{name}: max_mask_rois must be a positive '
                             f'integer, got {max_mask_rois!r}')
        self.max_mask_rois = max_mask_rois
        if not isinstance(self.bbox_head, RankSortObjective):
            raise TypeError(f'{name} balances the mask loss by the RS value '
                            'of its box head: use RankSortShared2FCBBoxHead, '
                            f'got {type(self.bbox_head).__name__}')
        if self.with_mask:
            loss = self.mask_head.loss_mask
            if not isinstance(loss, DiceLoss) or loss.reduction != 'none':
                raise TypeError(
                    f"{name} needs mask_head.loss_mask=dict(type='DiceLoss',"
                    " use_sigmoid=True, activate=True, naive_dice=False, "
                    f"eps=5e-6, reduction='none'), got {loss}")
            if self.share_roi_extractor:
                raise ValueError(f'{name} needs a mask_roi_extractor of its '
                                 'own (as Mask R-CNN has)')
            if not self.mask_head.class_agnostic and \
                    self.mask_head.num_classes != self.bbox_head.num_classes:
                raise ValueError(
                    f'{name}: model.roi_head.mask_head.num_classes is '
                    f'{self.mask_head.num_classes}, model.roi_head.'
                    f'bbox_head.num_classes is {self.bbox_head.num_classes}:'
                    ' the mask head predicts one mask per class of the box '
                    'head; set both to the number of classes of the dataset')

    def loss(self, x: Tuple[Tensor], rpn_results_list: InstanceList,
             batch_data_samples: SampleList) -> dict:
        """The box and mask losses of the batch, in one call sequence: the
        ground-truth check, StandardRoIHead's assignment and sampling, the
        box head's RS Loss, then the mask loss balanced by its result."""
        check_batch_ground_truth(self, batch_data_samples)
        batch_gt_instances, batch_gt_instances_ignore, _ = \
            unpack_gt_instances(batch_data_samples)
        sampling_results = self.sample_proposals(x, rpn_results_list,
                                                 batch_gt_instances,
                                                 batch_gt_instances_ignore)
        box = self.rank_sort_box_loss(x, sampling_results)
        losses = dict(box.losses)
        if self.with_mask:
            losses.update(loss_mask=self.balanced_mask_loss(
                x, sampling_results, batch_gt_instances, box))
        return losses

    def sample_proposals(self, x: Tuple[Tensor],
                         rpn_results_list: InstanceList,
                         batch_gt_instances: InstanceList,
                         batch_gt_instances_ignore: InstanceList
                         ) -> List[SamplingResult]:
        """Assign and sample each image's proposals: the loop of
        ``StandardRoIHead.loss``, restated because mmdet has no method for
        it (docs/design.md)."""
        sampling_results = []
        for i, rpn_results in enumerate(rpn_results_list):
            rpn_results.priors = rpn_results.pop('bboxes')
            assign_result = self.bbox_assigner.assign(
                rpn_results, batch_gt_instances[i],
                batch_gt_instances_ignore[i])
            sampling_results.append(self.bbox_sampler.sample(
                assign_result, rpn_results, batch_gt_instances[i],
                feats=[lvl_feat[i][None] for lvl_feat in x]))
        return sampling_results

    def rank_sort_box_loss(self, x: Tuple[Tensor],
                           sampling_results: List[SamplingResult]
                           ) -> RankSortBatchResult:
        """The box head's RS Loss of every sampled RoI of the batch (what
        ``RankSortShared2FCBBoxHead.loss`` computes), with the RS value and
        the positive RoIs' weights for the mask loss."""
        rois = bbox2roi([res.priors for res in sampling_results])
        bbox_results = self._bbox_forward(x, rois)
        labels, label_weights, bbox_targets, _ = self.bbox_head.get_targets(
            sampling_results, self.train_cfg)
        return rank_sort_losses_and_weights(self.bbox_head, roi_batch(
            self.bbox_head, bbox_results['cls_score'],
            bbox_results['bbox_pred'], rois, labels, label_weights,
            bbox_targets, decode_boxes=True))

    def balanced_mask_loss(self, x: Tuple[Tensor],
                           sampling_results: List[SamplingResult],
                           batch_gt_instances: InstanceList,
                           box: RankSortBatchResult) -> Tensor:
        """The Dice loss of the positive RoIs (at most ``max_mask_rois``),
        weighted by their box weights and balanced by value to the box
        head's RS value (:func:`rank_sort_mask_loss`). The positive RoIs
        are the box batch's positive rows in the same order (image by
        image, positives first in each)."""
        kept = self.mask_rois(sampling_results)
        results = [copy.copy(res) for res in sampling_results]
        start = 0
        for res in results:
            num_pos = len(res.pos_priors)
            keep = kept[(kept >= start) & (kept < start + num_pos)] - start
            res.pos_priors = res.pos_priors[keep]
            res.pos_assigned_gt_inds = res.pos_assigned_gt_inds[keep]
            res.pos_gt_labels = res.pos_gt_labels[keep]
            start += num_pos
        mask_preds = self._mask_forward(
            x, bbox2roi([res.pos_priors for res in results]))['mask_preds']
        mask_targets = self.mask_head.get_targets(results, batch_gt_instances,
                                                  self.train_cfg)
        labels = torch.cat([res.pos_gt_labels for res in results])
        mask_losses = self.mask_head.loss_mask(
            mask_preds[torch.arange(len(labels)), labels], mask_targets)
        return rank_sort_mask_loss(
            mask_losses, box.pos_weights[kept.to(box.pos_weights.device)],
            box.rs_value)

    def mask_rois(self, sampling_results: List[SamplingResult]) -> Tensor:
        """Ascending indices of the positive RoIs of the batch that the mask
        branch takes: all, or ``max_mask_rois`` drawn uniformly."""
        num_pos = sum(len(res.pos_priors) for res in sampling_results)
        if num_pos <= self.max_mask_rois:
            return torch.arange(num_pos)
        return torch.randperm(num_pos)[:self.max_mask_rois].sort().values
