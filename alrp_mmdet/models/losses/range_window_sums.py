"""Smoothed-step sums over a range of points, for many queries at once.

Points ``p = 0 .. P-1`` stand in a fixed order (for Rank & Sort Loss: by
IoU) and carry scores ``s_p`` and weight columns ``w_p``. A query ``q``
names a range ``[start_q, stop_q)`` of that order and a score ``t_q`` and
asks for

    above:  sum_{start_q <= p < stop_q} w_p H(s_p - t_q)
    below:  sum_{start_q <= p < stop_q} w_p H(t_q - s_p)

with the smoothed step ``H(x) = clamp(x / (2 delta) + 0.5, 0, 1)``. Both
are 2-D dominance queries (a range of the order x a score window) and are
answered here without a P x P matrix and without a loop over points or
queries.

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

Order side. The positions are padded to ``2^K > P`` (zero weights) and cut,
at each level ``L < K``, into aligned blocks of ``2^L`` positions. Every
range ``[start, stop)`` is the disjoint union of at most two blocks per
level (the bottom-up segment-tree walk: at each level a left block if
``start`` is odd, a right block if ``stop`` is odd, then both halve). At
level L the points of each block are sorted by score rank once
(``O(P log P)`` per level); the positions of ``lo`` and ``hi`` inside a
block are binary searches, and the block's per-rank prefix sums of
``(w, w s')`` give the three rank ranges' sums. Time ``O((P + Q) log^2 P)``
for P points and Q queries, memory ``O((P + Q) C)`` for C weight columns;
the only Python loop runs over the ``K = log2 P + 1`` levels.

Accumulation is float64 throughout. Each prefix sum runs inside one block,
so its rounding error is bounded by that block's sums, not by the batch's.
"""
from typing import List

import torch
from torch import Tensor


class RangeWindowSums:
    """Smoothed-step sums of points in a fixed order (see module docstring).

    Build it once for the points' scores (the weight-independent part: the
    score ranks and each level's blocks sorted by rank), then call
    :meth:`above` / :meth:`below` with any weights and queries.

    Args:
        scores: 1-D float64 scores of the points, in the points' order.
        delta: half-width of the smoothed step H.
    """

    def __init__(self, scores: Tensor, delta: float):
        self.delta = float(delta)
        self.num_points = scores.numel()
        self.num_levels = self.num_points.bit_length()
        self.padded = 1 << self.num_levels
        self.sorted_scores, by_score = scores.sort()
        device = scores.device
        self.origin = float(self.sorted_scores[0]) if self.num_points else 0.0
        self.shifted = scores - self.origin
        rank = torch.full((self.padded, ), self.padded - 1, dtype=torch.long,
                          device=device)
        rank[by_score] = torch.arange(self.num_points, device=device)
        position = torch.arange(self.padded, device=device)
        self.level_keys: List[Tensor] = []
        self.level_order: List[Tensor] = []
        for level in range(self.num_levels):
            keys, order = ((position >> level) * self.padded + rank).sort()
            self.level_keys.append(keys)
            self.level_order.append(order)

    def above(self, weights: Tensor, query_scores: Tensor, start: Tensor,
              stop: Tensor) -> Tensor:
        """``sum_{start <= p < stop} w_p H(s_p - t)`` for every query.

        Args:
            weights: (P, C) float64 weights of the points.
            query_scores: (Q, ) float64 query scores ``t``.
            start, stop: (Q, ) integer ranges of positions, ``0 <= start
                <= stop <= P``.

        Returns:
            (Q, C) float64 sums.
        """
        return self._sums(weights, query_scores, start, stop, sign=1.0)

    def below(self, weights: Tensor, query_scores: Tensor, start: Tensor,
              stop: Tensor) -> Tensor:
        """``sum_{start <= p < stop} w_p H(t - s_p)`` for every query;
        arguments as in :meth:`above`."""
        return self._sums(weights, query_scores, start, stop, sign=-1.0)

    def _sums(self, weights: Tensor, query_scores: Tensor, start: Tensor,
              stop: Tensor, sign: float) -> Tensor:
        num_columns = weights.shape[1]
        result = weights.new_zeros(query_scores.numel(), num_columns)
        if self.num_points == 0 or query_scores.numel() == 0:
            return result
        lo = torch.searchsorted(self.sorted_scores,
                                query_scores - self.delta, right=True)
        hi = torch.searchsorted(self.sorted_scores, query_scores + self.delta)
        shifted_query = (query_scores - self.origin)[:, None]
        padding = self.padded - self.num_points
        # columns: w, then w s'
        columns = torch.cat([weights, weights * self.shifted[:, None]], 1)
        columns = torch.cat([columns, columns.new_zeros(padding,
                                                        2 * num_columns)])
        left, right = start.long(), stop.long()
        for level in range(self.num_levels):
            size = 1 << level
            keys = self.level_keys[level]
            block_sums = columns.index_select(0, self.level_order[level]).view(
                -1, size, 2 * num_columns).cumsum(1)
            block_sums = torch.cat([
                block_sums.new_zeros(block_sums.shape[0], 1, 2 * num_columns),
                block_sums
            ], 1).view(-1, 2 * num_columns)
            for block, used in ((left, (left & 1) == 1),
                                (right - 1, (right & 1) == 1)):
                queries = torch.nonzero(used & (left < right)).squeeze(1)
                if queries.numel() == 0:
                    continue
                first = block[queries] * size
                base = block[queries] * self.padded
                row = block[queries] * (size + 1)
                at_lo = torch.searchsorted(keys, base + lo[queries]) - first
                at_hi = torch.searchsorted(keys, base + hi[queries]) - first
                below_window = block_sums[row + at_lo]
                up_to_window_end = block_sums[row + at_hi]
                total = block_sums[row + size]
                window = up_to_window_end - below_window
                count, weighted = (window[:, :num_columns],
                                   window[:, num_columns:])
                outside = (total - up_to_window_end if sign > 0 else
                           below_window)[:, :num_columns]
                linear = (weighted - shifted_query[queries] * count) / (
                    2 * self.delta)
                result.index_add_(0, queries,
                                  outside + 0.5 * count + sign * linear)
            left = (left + (left & 1)) >> 1
            right = right >> 1
        return result
