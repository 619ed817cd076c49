"""The RoI head of RS-Mask R-CNN (RS paper; reference 2.5-2.6)."""
import copy
from typing import List, NamedTuple, Optional, Tuple

import torch
from torch import Tensor

from mmdet.models.losses import DiceLoss
from mmdet.models.task_modules.samplers import SamplingResult
from mmdet.registry import MODELS
from mmdet.structures.bbox import bbox2roi
from mmdet.utils import InstanceList
from ..ranking_heads import (RankSortObjective, box_weights, value_balance,
                             weighted_mean)
from .ranking_roi_head import RankingRoIHead


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


class MaskBalance(NamedTuple):
    """What the mask loss takes from the box loss of the same iteration.

    Attributes:
        rs_value: the box head's loss_rank + loss_sort, detached.
        pos_weights: the detached highest class probability of every
            positive RoI of the batch, in the order of the sampling results
            (image by image, positives first in each).
    """
    rs_value: Tensor
    pos_weights: Tensor


@MODELS.register_module()
class RankSortRoIHead(RankingRoIHead):
    """StandardRoIHead whose mask loss is balanced by the RS value of its
    box head (RS-Mask R-CNN); every gt box is checked as in
    :class:`RankingRoIHead`.

    The box branch is StandardRoIHead's with a ``RankSortShared2FCBBoxHead``.
    The mask branch (a separate mask RoI extractor, as Mask R-CNN's) ranks
    nothing: per positive RoI it takes the Dice loss of the gt class's
    28 x 28 logits (the mask head's ``loss_mask``: mmdet's ``DiceLoss`` with
    ``reduction='none'``, ``eps=5e-6``: 1 - 2 sum(p t) / (sum p^2 + sum t^2
    + 1e-5) as in the RS code), averages them with the box head's weights
    w_i and rescales the mean to the RoI head's loss_rank + loss_sort
    (:func:`rank_sort_mask_loss`). When the batch
    has more than ``max_mask_rois`` positive RoIs, that many are drawn
    uniformly at random for the mask branch, each keeping its own weight
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
        self._mask_balance: Optional[MaskBalance] = None

    def bbox_loss(self, x: Tuple[Tensor],
                  sampling_results: List[SamplingResult]) -> dict:
        """StandardRoIHead's box loss; keeps its RS value and the positive
        RoIs' weights for :meth:`mask_loss` of the same iteration."""
        bbox_results = super().bbox_loss(x, sampling_results)
        losses = bbox_results['loss_bbox']
        rows, start = [], 0
        for res in sampling_results:
            rows.append(torch.arange(start, start + len(res.pos_priors)))
            start += len(res.priors)
        scores = bbox_results['cls_score'][torch.cat(rows).to(
            bbox_results['cls_score'].device)]
        self._mask_balance = MaskBalance(
            rs_value=(losses['loss_rank'] + losses['loss_sort']).detach(),
            pos_weights=box_weights(scores))
        return bbox_results

    def mask_loss(self, x: Tuple[Tensor],
                  sampling_results: List[SamplingResult], bbox_feats: Tensor,
                  batch_gt_instances: InstanceList) -> dict:
        """The value-balanced Dice loss of the positive RoIs (at most
        ``max_mask_rois``); returns StandardRoIHead's mask results."""
        if self._mask_balance is None:
            raise RuntimeError(f'{type(self).__name__}.mask_loss needs the '
                               'box loss of the same iteration first')
        balance, self._mask_balance = self._mask_balance, None
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
        mask_results = self._mask_forward(
            x, bbox2roi([res.pos_priors for res in results]))
        mask_targets = self.mask_head.get_targets(results, batch_gt_instances,
                                                  self.train_cfg)
        labels = torch.cat([res.pos_gt_labels for res in results])
        mask_preds = mask_results['mask_preds']
        mask_losses = self.mask_head.loss_mask(
            mask_preds[torch.arange(len(labels)), labels], mask_targets)
        mask_results.update(
            mask_targets=mask_targets,
            loss_mask=dict(loss_mask=rank_sort_mask_loss(
                mask_losses, balance.pos_weights[kept.to(
                    balance.pos_weights.device)], balance.rs_value)))
        return mask_results

    def mask_rois(self, sampling_results: List[SamplingResult]) -> Tensor:
        """Ascending indices of the positive RoIs of the batch that the mask
        branch takes: all, or ``max_mask_rois`` drawn uniformly."""
        num_pos = sum(len(res.pos_priors) for res in sampling_results)
        if num_pos <= self.max_mask_rois:
            return torch.arange(num_pos)
        return torch.randperm(num_pos)[:self.max_mask_rois].sort().values
