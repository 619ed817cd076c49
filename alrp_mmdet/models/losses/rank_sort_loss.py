"""Rank & Sort Loss (Oksuz et al., ICCV 2021) on the exact ranking core.

For positives P with continuous targets y (the IoU of each positive's
predicted box with its ground truth), logits s and the smoothed step
H(x) = clamp(x / (2 delta) + 0.5, 0, 1) with x_ik = s_k - s_i:

- rank+(i) = sum_{k in P} H(x_ik), the positive itself included at
  H(0) = 1/2 (no "+1", unlike aLRP and AP Loss), rank(i) = rank+(i) + N_FP(i);
- ranking error l_R(i) = N_FP(i) / rank(i), target 0 (RS paper Eq. 7);
- sorting error l_S(i) = sum_k H(x_ik) (1 - y_k) / rank+(i) with target
  l*_S(i) = sum_k H(x_ik) [y_k >= y_i] (1 - y_k) / sum_k H(x_ik) [y_k >= y_i]
  (Eqs. 7-8); e_S(i) = l_S(i) - l*_S(i) >= 0 (Eq. 9);
- L_rank = mean_i l_R(i), L_sort = mean_i e_S(i).

Gradients are the identity update (Eq. 5 of aLRP, reference 1.6): a positive
with N_FP(i) > eps passes l_R(i) on to the negatives with the pmf
H(x_ij) / N_FP(i); a positive with D(i) = sum_k H(x_ik) [y_k < y_i] > eps
passes e_S(i) on to the lower-IoU positives with the pmf
H(x_ik) [y_k < y_i] / D(i); everything is divided by |P|, eps = 1e-10.
Unlike the released code, ``loss_rank`` carries the ranking part of the
gradient and ``loss_sort`` the sorting part, so a weight on either term
means what it says; their sum gives the logits the released code's update.

The sorting part as range queries. Write h_ik = H(s_k - s_i) (k = i
included) and sort the positives by IoU, descending; then {k: y_k >= y_i}
and {k: y_k > y_i} are prefixes of that order and {k: y_k < y_i} is a
suffix (ties included or excluded by where the prefix ends, found by binary
search in the sorted IoUs). Every quantity of the sorting part is a sum
of a weight times H over such a range:

    rank+(i)            = sum_{all k}          1         h_ik
    l_S(i) rank+(i)     = sum_{all k}          (1 - y_k) h_ik
    den*(i)             = sum_{k: y_k >= y_i}  1         h_ik
    l*_S(i) den*(i)     = sum_{k: y_k >= y_i}  (1 - y_k) h_ik
    D(i)                = sum_{k: y_k < y_i}   1         h_ik

and the update a positive k receives from the higher-IoU positives i that
pass their error on, with c_i = e_S(i) / D(i) (0 unless D(i) > eps), is
the transpose query

    passed_on(k)        = sum_{i: y_i > y_k}   c_i H(s_k - s_i),

a range of the same order with the step mirrored. Each is a 2-D query (a
range of the IoU order x a score window around s_i) that
:class:`~.range_window_sums.RangeWindowSums` answers for all positives at
once: a merge-sort tree over the IoU order whose blocks are sorted by
score, walked from the root to each query's split with fractional
cascading (no binary search per level), with per-block prefix sums of w
and w s for the linear part of H, down to blocks of 8 positions summed
directly. Time O(P log P), memory O(P), no P x P matrix and no loop over
positives (one loop over the tree's levels); two passes, since c_i needs
D(i) and e_S(i) first.

Precision. Every sum is accumulated in float64, as in the dense form. float32
would not do: D(i) decides against eps = 1e-10 whether positive i passes
its error on, and float32 scores and sums carry rounding errors of order
1e-7 (the threshold test's D = 1e-7 comes out as 8.9e-8 in float32, within
3e-17 in float64); nor would it pay, since the sorting part's time goes
into index work, not arithmetic. The denominators rank+(i) and den*(i)
hold i itself (H(0) = 1/2) and are at least 1/2.

Cost. The ranking part runs on the bucketed core (exact,
O((P + N) log P), no P x N matrix), the sorting part as above.
"""
from typing import NamedTuple, Tuple, Union

import torch
from torch import Tensor, nn

from mmdet.registry import MODELS
from .arg_checks import (check_per_positive, check_positive,
                         check_ranking_loss_args)
from .head_calls import refuse_element_wise_call
from .range_window_sums import RangeWindowSums
from .ranking import (BatchRanking, RankingStats, RankingTerms,
                      error_driven_ranking_loss)
from .ranking_loss_output import RankingLossOutput
from .sigmoid_classifier import SigmoidClassifierMixin

#: RS Loss's threshold on N_FP(i) and on D(i) (reference 1.6)
RS_EPS = 1e-10


def check_ious(ious: Tensor, num_pos: int) -> None:
    """Raise unless ``ious`` holds one finite value in [0, 1] per
    positive."""
    check_per_positive('ious', ious, num_pos)


class SortingTerms(NamedTuple):
    """The sorting part of RS Loss, per positive (float64).

    Attributes:
        error: e_S(i) = l_S(i) - l*_S(i) (Eq. 9).
        grad: the sorting part of dL/ds_i times |P|: -e_S(i) if D(i) > eps,
            plus what higher-IoU positives pass on to i.
    """
    error: Tensor
    grad: Tensor


def sorting_terms(scores: Tensor, ious: Tensor, delta: float) -> SortingTerms:
    """Sorting errors and their identity-update gradients of positives with
    float64 ``scores`` and ``ious`` (see the module docstring: five range
    queries in IoU order, no positive x positive matrix)."""
    num_pos = scores.numel()
    by_iou = ious.argsort(descending=True, stable=True)
    ious_ascending = ious.sort().values
    # in the IoU-descending order, positions < n hold the positives with
    # y_k >= y_i (n = higher_or_equal) or y_k > y_i (n = higher), and
    # positions >= higher_or_equal those with y_k < y_i
    higher_or_equal = num_pos - torch.searchsorted(ious_ascending, ious)
    higher = num_pos - torch.searchsorted(ious_ascending, ious, right=True)
    index = RangeWindowSums(scores[by_iou], delta)
    weights = torch.stack([torch.ones_like(ious), 1.0 - ious], 1)[by_iou]
    # per positive i, sum_k (1, 1 - y_k) H(s_k - s_i) over the positives k
    # with y_k >= y_i (.before) and with y_k < y_i (.after)
    scored_above_by_iou = index.above(weights, scores, higher_or_equal)
    target_sums = scored_above_by_iou.before
    all_sums = target_sums + scored_above_by_iou.after
    current = all_sums[:, 1] / all_sums[:, 0]  # l_S(i), over rank+(i)
    target = target_sums[:, 1] / target_sums[:, 0]  # l*_S(i)
    error = current - target
    mass = scored_above_by_iou.after[:, 0]  # D(i), lower-IoU positives
    active = mass > RS_EPS
    own = torch.where(active, error, torch.zeros_like(error))
    coefficient = own / mass.clamp(min=RS_EPS)
    passed_on = index.below(coefficient[by_iou, None], scores,
                            higher).before.squeeze(1)
    return SortingTerms(error=error, grad=passed_on - own)


def rank_sort_loss(logits: Tensor,
                   labels: Tensor,
                   ious: Tensor,
                   delta: float = 0.5,
                   return_stats: bool = False
                   ) -> Union[Tuple[Tensor, Tensor],
                              Tuple[Tensor, Tensor, RankingStats]]:
    """RS Loss of one batch, as its ranking and sorting parts.

    Args:
        logits, labels: the whole batch's ranking problem, as for
            :func:`~.alrp_loss.alrp_loss`.
        ious: one target in [0, 1] per positive, in the order the positives
            appear in ``logits``; treated as constants. A positive whose
            IoU is 0 stays a positive (the released code turned it into a
            negative and failed when every positive had IoU 0).
        delta: half-width of the smoothed step H (paper: 0.5); must be
            positive (the hard step, delta 0, is not supported).
        return_stats: also return :class:`RankingStats`.

    Returns:
        ``(loss_rank, loss_sort)``: mean ranking error, whose backward gives
        the logits the ranking part of the identity update, and mean
        sorting error, whose backward gives them the sorting part. Without
        positives both are 0 and still reach ``logits``.
    """

    def ranking_terms(ranking: BatchRanking) -> RankingTerms:
        check_ious(ious, ranking.num_pos)
        # RS counts the positive itself at H(0) = 1/2 instead of 1
        error = ranking.n_fp / (ranking.rank - 0.5)
        return RankingTerms(error, error, ranking.num_pos)

    loss_rank, ranking, stats = error_driven_ranking_loss(
        logits, labels, ranking_terms, delta, fp_eps=RS_EPS)
    if ranking.num_pos == 0:
        check_ious(ious, 0)
        value = loss_rank.new_zeros(())
        grad = ranking.pos_scores
    else:
        sorting = sorting_terms(ranking.pos_scores, ious.detach().double(),
                                ranking.delta)
        value = (sorting.error.sum() / ranking.num_pos).to(loss_rank.dtype)
        grad = sorting.grad / ranking.num_pos
    # The sorting gradient lives on the P positives only, so a linear carrier
    # (value 0, gradient ``grad``) puts it on their logits. The ranking part
    # reaches every logit and its gradient is rebuilt in backward from
    # per-bucket tables (ranking.py's _ErrorDrivenGradient), which keeps it
    # O(P) in memory until then; a carrier would need it as a full tensor.
    pos_logits = logits[ranking.pos_index]
    carrier = (pos_logits * grad.to(pos_logits.dtype)).sum()
    loss_sort = value + (carrier - carrier.detach()).to(value.dtype)
    if return_stats:
        return loss_rank, loss_sort, stats
    return loss_rank, loss_sort


@MODELS.register_module()
class RankSortLoss(SigmoidClassifierMixin, nn.Module):
    """Rank & Sort Loss module (wraps :func:`rank_sort_loss`); returns a
    :class:`~.RankingLossOutput` with ``loss_rank`` and ``loss_sort``.

    Args:
        delta: half-width of the smoothed step H (paper: 0.5).
        use_sigmoid: must be True (sigmoid classifier of num_classes).
        loss_weight: multiplies both parts (a finite positive number).
    """

    def __init__(self, delta: float = 0.5, use_sigmoid: bool = True,
                 loss_weight: float = 1.0):
        super().__init__()
        self.delta = check_ranking_loss_args('RankSortLoss', use_sigmoid,
                                             delta)
        self.loss_weight = check_positive('RankSortLoss', 'loss_weight',
                                          loss_weight)
        self.use_sigmoid = True

    def forward(self,
                logits: Tensor,
                labels: Tensor,
                ious: Tensor,
                *,
                weight: None = None,
                avg_factor: None = None,
                reduction_override: None = None) -> RankingLossOutput:
        """RS Loss of one batch; see :func:`rank_sort_loss`.

        ``weight``, ``avg_factor`` and ``reduction_override`` are refused
        with a TypeError naming the head to use: they mean that an mmdet
        head called this loss element-wise (see :mod:`.head_calls`)."""
        refuse_element_wise_call(self, weight=weight, avg_factor=avg_factor,
                                 reduction_override=reduction_override)
        loss_rank, loss_sort, stats = rank_sort_loss(
            logits, labels, ious, self.delta, return_stats=True)
        return RankingLossOutput(
            losses=dict(loss_rank=self.loss_weight * loss_rank,
                        loss_sort=self.loss_weight * loss_sort),
            stats=stats)

    def extra_repr(self) -> str:
        return f'delta={self.delta}, loss_weight={self.loss_weight}'
