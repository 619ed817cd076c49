"""Smoothed-step sums over a prefix or suffix of points, for many queries.

Points ``p = 0 .. P-1`` stand in a fixed order (for Rank & Sort Loss: by
IoU) and carry scores ``s_p`` and weight columns ``w_p``. A query ``q``
names a split ``b_q`` of that order, takes the prefix ``p < b_q`` or the
suffix ``p >= b_q``, and a score ``t_q``, and asks for

    above:  sum_{p in range} w_p H(s_p - t_q)
    below:  sum_{p in range} w_p H(t_q - s_p)

with the smoothed step ``H(x) = clamp(x / (2 delta) + 0.5, 0, 1)``. Both
are 2-D dominance queries (a range of the order x a score window) and are
answered here for all queries at once, without a P x P matrix and without a
loop over points or queries.

Score side. H is 0, linear or 1 depending on where ``s_p`` lies against
the window ``(t - delta, t + delta)``. With ``g_p`` the rank of ``s_p``
among all scores, ``lo`` the number of scores ``<= t - delta`` and ``hi``
the number ``< t + delta``, the points of ranks ``[0, lo)`` lie below the
window, ``[lo, hi)`` inside and ``[hi, P)`` at or above it (a score on an
edge may be put on either side: H is continuous, so its value there is the
same), and

    above = W_above + 0.5 W_win + (SW_win - t' W_win) / (2 delta)
    below = W_below + 0.5 W_win - (SW_win - t' W_win) / (2 delta)

with ``W_*`` the summed weights of a rank range, ``SW_win`` the summed
``w_p s'_p`` inside the window and ``s' = s - origin`` (sums are taken
relative to the lowest score, so that they depend on the spread of the
scores, not on their magnitude).

Order side: a merge-sort tree with fractional cascading. The positions are
padded to ``2^K > P`` (zero weights); level ``L`` cuts them into aligned
blocks of ``2^L`` and keeps each block's points sorted by score rank. The
root (level K) is the score order itself; each level below is a stable
partition of the one above by bit ``L - 1`` of the position (O(P), no
sort). A prefix ``p < b`` is the union of the left siblings of the nodes on
the root-to-leaf path of ``b`` where that path turns right; a suffix
``p >= b`` is the union of the right siblings where it turns left, plus the
leaf ``b``. Walking down that path, a query keeps how many points of its
current node have rank below ``lo`` and below ``hi``; the counts in the
left child are read from a prefix count of the points that go left
(cascading: one lookup per level, no binary search). These counts are the
window's edges inside the sibling block, whose per-block prefix sums of
``(w, w s')`` give the three rank ranges' sums.

Leaves. The walk stops at the blocks of ``2^LEAF_BITS`` positions: inside
the query's block, the few points before and after ``b`` are summed
directly (``w_p H(+-(s_p - t))``, a (Q, 2^LEAF_BITS, C) product). That
saves the tree's lowest levels, each as costly as any other (a pass over
all P points), for a few operations on small tensors. An order of fewer
than ``2^DIRECT_BITS`` points is one leaf: no level is walked and every
query sums all points directly, a (Q, 2^K, C) product of at most
(Q, 128, C), which takes a third to a half of the walk's time there (the
walk's cost is its number of operations, not their size). See
docs/benchmarks.md for what each leaf size measured.

Every call walks the levels from the root down and generates each level
from the one above as it goes, so it holds two levels at a time: time
``O((P + Q) C log P)`` per call for P points, Q queries and C weight
columns, memory ``O((P + Q) C)``. The only Python loop runs over the
``K - LEAF_BITS`` levels above the leaves (``K = log2 P + 1``).
Accumulation is float64; each prefix sum runs inside one block, so its
rounding error is bounded by that block's sums.
"""
from typing import Iterator, NamedTuple

import torch
from torch import Tensor

#: the tree's walk stops at blocks of 2^LEAF_BITS positions, whose points
#: are summed directly (of leaves of 8 to 64 points, 8 and 16 measured
#: fastest; docs/benchmarks.md)
LEAF_BITS = 3
#: orders of fewer than 2^DIRECT_BITS points are summed directly, without
#: the tree (measured faster up to 127 points, slower from 256)
DIRECT_BITS = 7


class SplitSums(NamedTuple):
    """Sums of every query on both sides of its split (each (Q, C)).

    Attributes:
        before: over the points at positions ``p < split``.
        after: over the points at positions ``p >= split``.
    """
    before: Tensor
    after: Tensor


def _exclusive_cumsum(values: Tensor) -> Tensor:
    return torch.cat([values.new_zeros(1),
                      values.cumsum(0, dtype=values.dtype)])


class TreeLevel(NamedTuple):
    """One level of the merge-sort tree, below level ``level + 1``.

    Attributes:
        level: L; blocks of ``2^L`` positions.
        goes_left: exclusive prefix count, along the order of level L + 1,
            of its points that belong to a left child block (length
            ``2^K + 1``).
        order: the positions of level L, block by block, each block by
            score rank.
    """
    level: int
    goes_left: Tensor
    order: Tensor


class RangeWindowSums:
    """Smoothed-step sums of points in a fixed order (see module docstring).

    Build it once for the points' scores (their score order), then call
    :meth:`above` / :meth:`below` with any weights and queries. Each call
    walks the tree's levels from the root down, generating each level from
    the one above it, so that no more than two levels are held at a time
    (memory O((P + Q) C) per call, as the module docstring says).

    Args:
        scores: 1-D float64 scores of the points, in the points' order.
        delta: half-width of the smoothed step H.
    """

    def __init__(self, scores: Tensor, delta: float):
        self.delta = float(delta)
        self.num_points = scores.numel()
        self.num_levels = self.num_points.bit_length()
        self.leaf_bits = (self.num_levels if self.num_levels <= DIRECT_BITS
                          else LEAF_BITS)
        self.padded = 1 << self.num_levels
        self.scores = scores
        self.sorted_scores, by_score = scores.sort()
        self.origin = float(self.sorted_scores[0]) if self.num_points else 0.0
        self.shifted = scores - self.origin
        self.index = torch.arange(self.padded, device=scores.device,
                                  dtype=torch.int32)
        self.root_order = torch.cat(
            [by_score.int(), self.index[self.num_points:]])

    def levels(self) -> Iterator[TreeLevel]:
        """The levels K - 1 down to the leaves' (``leaf_bits``): each a
        stable partition of the one above by bit L of the position (O(P)
        each, no sort)."""
        order = self.root_order
        for level in range(self.num_levels - 1, self.leaf_bits - 1, -1):
            half = 1 << level
            left = (order & half) == 0
            count = _exclusive_cumsum(left.int())
            # the parent block of slot i starts at ``start``; of the points
            # before i in that block, ``left_before`` go left, so a point
            # going left lands at start + left_before, and one going right,
            # the (i - start - left_before)-th right-goer, at
            # start + half + (i - start - left_before)
            start = self.index & -(2 * half)
            left_before = count[:-1] - count[start]
            slot = torch.where(left, start + left_before,
                               self.index + half - left_before)
            child_order = torch.empty_like(order)
            child_order[slot.long()] = order
            order = child_order
            yield TreeLevel(level, count, order)

    def above(self, weights: Tensor, query_scores: Tensor,
              split: Tensor) -> SplitSums:
        """``sum_p w_p H(s_p - t)`` over ``p < split`` and over
        ``p >= split``, for every query.

        Args:
            weights: (P, C) float64 weights of the points.
            query_scores: (Q, ) float64 query scores ``t``.
            split: (Q, ) integer positions in ``[0, P]``.
        """
        return self._sums(weights, query_scores, split, sign=1.0)

    def below(self, weights: Tensor, query_scores: Tensor,
              split: Tensor) -> SplitSums:
        """``sum_p w_p H(t - s_p)`` over the same ranges as :meth:`above`."""
        return self._sums(weights, query_scores, split, sign=-1.0)

    def _sums(self, weights: Tensor, query_scores: Tensor, split: Tensor,
              sign: float) -> SplitSums:
        num_queries, num_columns = query_scores.numel(), weights.shape[1]
        before = weights.new_zeros(num_queries, num_columns)
        after = torch.zeros_like(before)
        if self.num_points == 0 or num_queries == 0:
            return SplitSums(before, after)
        if self.leaf_bits == self.num_levels:  # one leaf: no level to walk
            return self._leaf_sums(weights, query_scores, split, sign)
        # rows [0] / [1]: points of the current node ranked below the window
        # (score <= t - delta) / below its upper edge (score < t + delta)
        below = torch.stack([
            torch.searchsorted(self.sorted_scores, query_scores - self.delta,
                               right=True, out_int32=True),
            torch.searchsorted(self.sorted_scores, query_scores + self.delta,
                               out_int32=True)
        ])
        # a block's sum is outside + W_win * window_weight_coef
        # + SW_win * window_score_coef (module docstring)
        window_weight_coef = (0.5 - sign * (query_scores - self.origin) /
                              (2 * self.delta))[:, None]
        window_score_coef = sign / (2 * self.delta)
        columns = torch.cat([weights, weights * self.shifted[:, None]], 1)
        columns = torch.cat([
            columns,
            columns.new_zeros(self.padded - self.num_points, 2 * num_columns)
        ])
        split = split.int()
        order = self.root_order
        for tree_level in self.levels():
            # the path to leaf ``split`` passes the node of level L + 1 that
            # starts at ``node``; where it turns right (bit L of split) it
            # leaves the left child to the prefix, where it turns left the
            # right child to the suffix: either way the sibling block
            # (split >> L) ^ 1 of level L
            level, count, order = tree_level
            node = (split >> (level + 1)) << (level + 1)
            # cascading: of the node's ``below`` lowest-ranked points, those
            # that go to its left child (one lookup in the prefix count of
            # left-goers, no search); the rest go right
            in_left = count.index_select(0, (node + below).view(-1)).view(
                2, -1) - count.index_select(0, node)
            in_right = below - in_left
            turns_right = ((split >> level) & 1).bool()
            turns_weight = turns_right[:, None].to(weights.dtype)
            sums = self._block_sums(
                columns, order, level, (split >> level) ^ 1,
                torch.where(turns_right, in_left, in_right),
                window_weight_coef, window_score_coef, sign)
            before.addcmul_(sums, turns_weight)
            after.addcmul_(sums, 1 - turns_weight)
            below = torch.where(turns_right, in_right, in_left)
        leaf_before, leaf_after = self._leaf_sums(weights, query_scores,
                                                  split, sign)
        return SplitSums(before.add_(leaf_before), after.add_(leaf_after))

    def _leaf_sums(self, weights: Tensor, query_scores: Tensor, split: Tensor,
                   sign: float) -> SplitSums:
        """Per query, the direct sums over the points of its leaf block
        (the ``2^leaf_bits`` positions around ``split``) before and from
        ``split``; padding positions count nothing."""
        size = 1 << self.leaf_bits
        position = ((split >> self.leaf_bits) << self.leaf_bits)[:, None] + \
            torch.arange(size, dtype=split.dtype, device=split.device)
        point = position.clamp(max=self.num_points - 1).long()
        step = (sign * (self.scores[point] - query_scores[:, None]) /
                (2 * self.delta) + 0.5).clamp_(0, 1)
        step *= position < self.num_points
        weighted = step[:, :, None] * weights[point]
        in_prefix = (position < split[:, None])[:, :, None]
        return SplitSums((weighted * in_prefix).sum(1),
                         (weighted * ~in_prefix).sum(1))

    def _block_sums(self, columns: Tensor, order: Tensor, level: int,
                    block: Tensor, below: Tensor, window_weight_coef: Tensor,
                    window_score_coef: float, sign: float) -> Tensor:
        """Per query, the sum over block ``block`` of ``level`` (whose
        points ``order`` lists), whose ``below[0]`` / ``below[1]``
        lowest-ranked points lie below the window / below its upper
        edge."""
        size = 1 << level
        width = columns.shape[1]
        num_columns = width // 2
        prefix_sums = columns.index_select(0, order).view(
            -1, size, width).cumsum(1)
        prefix_sums = torch.cat(
            [prefix_sums.new_zeros(prefix_sums.shape[0], 1, width),
             prefix_sums], 1).view(-1, width)
        row = block * (size + 1)
        # three lookups in the block's prefix sums (w, w s'): up to below[0]
        # (the points below the window), up to below[1] (below its upper
        # edge) and up to ``size`` (the whole block)
        at = prefix_sums.index_select(
            0, (torch.cat([below, below.new_full((1, row.numel()), size)]) +
                row).view(-1)).view(3, -1, width)
        window = at[1] - at[0]
        outside = at[2] - at[1] if sign > 0 else at[0]
        return torch.addcmul(outside[:, :num_columns],
                             window[:, :num_columns], window_weight_coef).add_(
                                 window[:, num_columns:],
                                 alpha=window_score_coef)
