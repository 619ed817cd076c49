"""Exact, loop-free error-driven ranking losses (paper Sec. 3, App. E).

Notation follows the paper. For positives ``P`` and negatives ``N`` of one
ranking problem with logits ``s`` and ``x_ij = s_j - s_i``, the smoothed step

    H(x) = clamp(x / (2 delta) + 0.5, 0, 1)

gives ``rank+(i) = 1 + sum_{k in P, k != i} H(x_ik)``,
``N_FP(i) = sum_{j in N} H(x_ij)`` and ``rank(i) = rank+(i) + N_FP(i)``
(Eq. 3). A ranking loss ``L = 1/Z sum_i l(i)`` is trained with the
error-driven update of Eq. 5 and primary terms ``L_ij = l(i) p(j|i)`` with
``p(j|i) = H(x_ij) / N_FP(i)`` (Eq. 7): a positive receives
``dL/ds_i = -(l(i) - l*(i)) / Z`` and every negative ``j`` receives
``sum_i (l(i) - l*(i)) / Z * H(x_ij) / N_FP(i)``, so the summed gradient
magnitudes of positives and negatives are equal (Theorem 2).

H is piecewise linear, so every sum of H over a set of scores reduces to a
count above a window plus the count and score sum inside a +/- delta window.
Negatives are bucketed between the 2|P| sorted window edges (:func:`bucketize`:
a table lookup, binary search only near an edge); per-bucket counts and sums
give N_FP of every positive, and per-bucket linear coefficients give the
gradient of every negative with one gather. Time O((|P| + |N|) log |P|) at
worst, memory O(|P| + |N|), no loop over positives and no |P| x |N| matrix.

Exactness. Per-entry work runs in float32 (float64 for float64 input); counts
and sums are accumulated in float64, relative to the lowest window edge so
that their size depends on the spread of the scores, not on their magnitude.
The window edges s_i -/+ delta are computed in float64 and rounded *down* to
float32, so that ``s > edge`` holds for a float32 score exactly when it holds
for the real edge: every negative lands in its exact bucket, whatever the
logits' magnitude. The only remaining error is float64 summation. Logits are
refused beyond ``MAX_LOGIT_OVER_DELTA * delta`` in magnitude (2^16 = 65536
for delta 1, beyond the float16 range; delta itself must lie in
:data:`DELTA_RANGE`): there a float64 window sum over
millions of negatives could lose digits of N_FP, and a detector whose logits
reach such values has diverged anyway.
"""
import math
import numbers
from typing import Callable, NamedTuple, Optional, Tuple

import torch
from torch import Tensor

#: Positives with N_FP(i) at or below this get no score gradient: they have
#: no false positive to pass their error to (Algorithm A.1, official code).
FP_EPS = 1e-5

#: Largest accepted |logit| / delta (see the module docstring).
MAX_LOGIT_OVER_DELTA = 2.0**16

#: Accepted delta, the half-width of the smoothed step (the papers use 0.5
#: and 1). At its smallest, logits up to 655 in magnitude are accepted; at
#: its largest the window edges s -/+ delta of every accepted logit stay
#: finite and exact in float32 and the cell map of :func:`bucketize` stays
#: well scaled. Outside it a delta is a typo or a unit mistake.
DELTA_RANGE = (0.01, 100.0)


def check_delta(delta: float, owner: str = '') -> float:
    """``delta`` as a float; raises ValueError unless it is a number (not a
    bool) in :data:`DELTA_RANGE`. ``owner`` prefixes the message."""
    low, high = DELTA_RANGE
    prefix = f'{owner}: ' if owner else ''
    if isinstance(delta, bool) or not isinstance(delta, numbers.Real) \
            or not low <= delta <= high:
        raise ValueError(
            f'{prefix}delta must be a finite positive number in [{low:g}, '
            f'{high:g}] (the half-width of the smoothed step; the papers '
            f'use 0.5 and 1), got {delta!r}')
    return float(delta)


class RankingTerms(NamedTuple):
    """What a ranking loss contributes per positive (Eq. 7).

    Attributes:
        value: per-positive term summed into the returned loss value.
        error: per-positive ``l(i) - l*(i)``: the primary error minus its
            target when ``i`` is ranked properly (Eqs. 5, 13, 14); it is
            distributed over negatives in proportion to ``H(x_ij)``.
        normaliser: ``Z``; loss and gradients are divided by it.
    """
    value: Tensor
    error: Tensor
    normaliser: float


class RankingStats(NamedTuple):
    """Diagnostics of one ranking (no name contains "loss").

    Attributes:
        num_pos: number of positives.
        num_relevant_neg: negatives within ``delta`` below the lowest
            positive or above it (the only ones that receive a gradient).
        grad_balance: summed |gradient| of negatives over that of
            positives (Theorem 2: 1); 1 when no positive has a gradient.
    """
    num_pos: int
    num_relevant_neg: int
    grad_balance: float


class LogitRange(NamedTuple):
    """How far a batch's logits reach.

    Attributes:
        num_non_finite: NaN and infinite entries.
        largest_finite: the largest magnitude among the finite entries (0
            when there is none).
    """
    num_non_finite: int
    largest_finite: float

    def exceeds(self, limit: float) -> bool:
        """Whether any logit is NaN, infinite or beyond ``limit`` in
        magnitude."""
        return bool(self.num_non_finite) or self.largest_finite > limit


def measure_logits(logits: Tensor) -> LogitRange:
    """The :class:`LogitRange` of ``logits``: one ``aminmax`` pass, a second
    one only when an entry is NaN or infinite."""
    logits = logits.detach()
    if logits.numel() == 0:
        return LogitRange(0, 0.0)
    low, high = torch.stack(torch.aminmax(logits)).tolist()
    return logit_range_from_bounds(logits, low, high)


def logit_range_from_bounds(logits: Tensor, low: float,
                            high: float) -> LogitRange:
    """The :class:`LogitRange` of detached ``logits`` whose smallest and
    largest entries are ``low`` and ``high``: a second pass only when one
    of them is NaN or infinite."""
    if math.isfinite(low) and math.isfinite(high):
        return LogitRange(0, max(-low, high))
    finite = torch.isfinite(logits)
    largest = float(logits[finite].abs().max()) if finite.any() else 0.0
    return LogitRange(int((~finite).sum()), largest)


class LogitRangeError(ValueError):
    """Logits the ranking cannot take: NaN or infinite entries, or
    magnitudes beyond ``MAX_LOGIT_OVER_DELTA * delta``. The ranking heads
    turn it into a divergence error that names the head and the iteration.

    Attributes:
        logit_range: what was measured.
        limit: the largest accepted magnitude.
    """

    def __init__(self, logit_range: LogitRange, limit: float) -> None:
        self.logit_range = logit_range
        self.limit = limit
        if logit_range.num_non_finite:
            message = (f'logits contain {logit_range.num_non_finite} NaN or '
                       'infinite entries')
        else:
            message = (
                f'logits reach {logit_range.largest_finite:.4g} in magnitude;'
                f' the ranking is exact only up to {MAX_LOGIT_OVER_DELTA:g} '
                f'* delta = {limit:.4g} (logits this large mean that '
                'training has diverged)')
        super().__init__(message)


def check_ranking_inputs(logits: Tensor, labels: Tensor, delta: float) -> None:
    """Raise TypeError/ValueError naming what is wrong with the inputs
    (:class:`LogitRangeError` for NaN, infinite or too large logits)."""
    if not isinstance(logits, Tensor) or not logits.is_floating_point():
        raise TypeError('logits must be a floating-point tensor, got '
                        f'{getattr(logits, "dtype", type(logits))}')
    if not isinstance(labels, Tensor) or labels.is_floating_point() \
            or labels.is_complex() or labels.dtype == torch.bool:
        raise TypeError('labels must be an integer tensor of -1/0/1, got '
                        f'{getattr(labels, "dtype", type(labels))}')
    if logits.dim() != 1:
        raise ValueError('logits must be 1-D (one entry per anchor x class '
                         'pair of the batch), got shape '
                         f'{tuple(logits.shape)}')
    if labels.shape != logits.shape:
        raise ValueError(f'labels shape {tuple(labels.shape)} does not match '
                         f'logits shape {tuple(logits.shape)}')
    if labels.device != logits.device:
        raise ValueError(f'labels are on {labels.device} but logits on '
                         f'{logits.device}')
    check_delta(delta)
    if logits.numel() == 0:
        return
    # one read of both ranges (each read stalls a GPU stream)
    label_low, label_high, low, high = torch.cat([
        torch.stack(torch.aminmax(labels)).double(),
        torch.stack(torch.aminmax(logits.detach())).double()
    ]).tolist()
    if label_low < -1 or label_high > 1:
        raise ValueError('labels must be -1 (ignored), 0 (negative) or 1 '
                         f'(positive); found values in [{int(label_low)}, '
                         f'{int(label_high)}]')
    logit_range = logit_range_from_bounds(logits.detach(), low, high)
    limit = MAX_LOGIT_OVER_DELTA * delta
    if logit_range.exceeds(limit):
        raise LogitRangeError(logit_range, limit)


def round_down(values: Tensor, dtype: torch.dtype) -> Tensor:
    """float64 ``values`` in ``dtype``, rounded towards -inf.

    For every score ``s`` of that dtype, ``s > round_down(e)`` exactly when
    ``s > e``: the largest representable value at or below ``e`` has no
    representable value between it and ``e``.
    """
    cast = values.to(dtype)
    if dtype == values.dtype:
        return cast
    too_high = cast.double() > values
    return torch.where(too_high,
                       torch.nextafter(cast, cast.new_tensor(-math.inf)), cast)


def bucketize(scores: Tensor, edges: Tensor, cells_per_edge: int = 64,
              scores_per_cell: int = 2) -> Tensor:
    """``torch.searchsorted(edges, scores)`` (int32), exactly, in O(1) per
    score.

    A monotone map f sends every value to one of ``num_cells`` uniform
    cells. Monotonicity alone makes the lookup exact: if no edge shares the
    cell of ``s``, every edge with ``f(e) < f(s)`` is below ``s`` and every
    other edge above it, so the number of edges below ``s`` is a table entry
    of that cell. Only scores that share a cell with an edge need a binary
    search. ``num_cells`` is ``cells_per_edge * len(edges)``, but at most one
    cell per ``scores_per_cell`` scores: past that, building the table and
    the cache misses of looking it up cost more than the binary searches
    they save (with many positives, e.g. 60000 edges among 4M scores). Scores
    and edges must share a dtype.
    """
    num_edges = edges.numel()
    if num_edges == 0:
        return torch.searchsorted(edges, scores, out_int32=True)
    # one read of the span and the first edge (reads stall a GPU stream)
    span, first = torch.stack([edges[-1] - edges[0], edges[0]]).tolist()
    if not span > 0:
        return torch.searchsorted(edges, scores, out_int32=True)
    num_cells = min(cells_per_edge * num_edges,
                    max(num_edges, scores.numel() // scores_per_cell))
    # the scale as the edges' dtype holds it, rounded on the host
    host_scale = torch.tensor(num_cells / span, dtype=edges.dtype).item()
    scale = edges.new_tensor(host_scale)
    shift = edges.new_tensor(1.0 - first * host_scale)

    def cell_of(values):
        cell = torch.addcmul(shift, values, scale).clamp_(0, num_cells + 1)
        return cell.to(torch.int32)

    per_cell = torch.bincount(cell_of(edges).long(),
                              minlength=num_cells + 2).to(torch.int32)
    below = per_cell.cumsum(0, dtype=torch.int32) - per_cell
    cell = cell_of(scores)
    bucket = below.index_select(0, cell)
    shared = torch.nonzero(per_cell.bool().index_select(0, cell)).squeeze(1)
    bucket[shared] = torch.searchsorted(edges, scores[shared], out_int32=True)
    return bucket


def _prefix(values: Tensor) -> Tensor:
    """Exclusive prefix sums with a leading zero (length n + 1)."""
    return torch.cat([values.new_zeros(1), values.cumsum(0)])


class BatchRanking:
    """The ranking of every positive of one batch among all its entries.

    Build it once per batch; then ask it for sums over positives
    (:meth:`smoothed_sum`, :meth:`step_sum`, :meth:`max_at_or_below`) and
    turn per-positive :class:`RankingTerms` into a loss with the
    error-driven gradient (:meth:`loss`).

    Attributes:
        num_pos: |P|.
        pos_scores: float64 logits of the positives, in the order the
            positives appear in ``logits``.
        rank_pos: rank+(i) (Eq. 3, positives only).
        n_fp: N_FP(i).
        rank: rank(i) = rank+(i) + N_FP(i).
    """

    def __init__(self, logits: Tensor, labels: Tensor, delta: float = 1.0):
        check_ranking_inputs(logits, labels, delta)
        self.logits = logits
        self.delta = float(delta)
        self.compute_dtype = (torch.float64 if logits.dtype == torch.float64
                              else torch.float32)
        self.pos_index = torch.nonzero(labels == 1).squeeze(1)
        self.num_pos = self.pos_index.numel()
        scores = logits.detach().to(self.compute_dtype)
        self.pos_scores = scores[self.pos_index].double()
        if self.num_pos == 0:
            empty = self.pos_scores
            self.rank_pos = self.n_fp = self.rank = empty
            return
        self._rank_positives()
        self._bucket_negatives(scores, labels == 0)

    # ------------------------------------------------------------ positives
    def _rank_positives(self) -> None:
        delta, s = self.delta, self.pos_scores
        # sums over scores are taken relative to the lowest window edge
        self._origin = float(s.min()) - delta
        self._shifted = s - self._origin
        self._sorted_scores, self._sorted_order = s.sort()
        self._sorted_shifted = self._shifted[self._sorted_order]
        self._at_or_above_start = torch.searchsorted(self._sorted_scores, s)
        self._window_start = torch.searchsorted(
            self._sorted_scores, s - delta, right=True)
        self._window_end = torch.searchsorted(self._sorted_scores, s + delta)
        self.rank_pos = 1.0 + self.smoothed_sum(torch.ones_like(s))

    def smoothed_sum(self, weights: Tensor) -> Tensor:
        """sum_{k in P, k != i} w_k H(x_ik) for every positive i (float64).

        Args:
            weights: one weight per positive, in positive order; treated as
                constants.
        """
        w = weights.detach().double()
        w_sorted = w[self._sorted_order]
        w_prefix = _prefix(w_sorted)
        ws_prefix = _prefix(w_sorted * self._sorted_shifted)
        start, end = self._window_start, self._window_end
        above = w_prefix[-1] - w_prefix[end]
        w_win = w_prefix[end] - w_prefix[start]
        ws_win = ws_prefix[end] - ws_prefix[start]
        window = (ws_win - self._shifted * w_win) / (2 * self.delta) \
            + 0.5 * w_win
        # the window holds k = i itself with H(0) = 1/2
        return above + window - 0.5 * w

    def step_sum(self, weights: Tensor) -> Tensor:
        """sum_{k in P, s_k >= s_i} w_k with the step function (ties and i
        itself included); differentiable with respect to ``weights``."""
        w_sorted = weights[self._sorted_order]
        suffix = torch.cat([w_sorted.flip(0).cumsum(0).flip(0),
                            w_sorted.new_zeros(1)])
        return suffix[self._at_or_above_start]

    def max_at_or_below(self, values: Tensor) -> Tensor:
        """max_{k in P, s_k <= s_i} v_k for every positive i (constants)."""
        v_sorted = values.detach()[self._sorted_order]
        running_max = v_sorted.cummax(0).values
        last = torch.searchsorted(
            self._sorted_scores, self.pos_scores, right=True) - 1
        return running_max[last]

    # ------------------------------------------------------------ negatives
    def _bucket_negatives(self, scores: Tensor, neg_mask: Tensor) -> None:
        """Bucket negatives between the sorted window edges s_i -/+ delta.

        Bucket k (0 <= k <= 2|P|) holds edges[k-1] < s <= edges[k]; bucket 0
        lies below every window (H = 0 for all positives) and bucket 2|P|+1
        collects positives and ignored entries. Edges are rounded down to
        the compute dtype (:func:`round_down`), so the buckets are exact.
        """
        num_pos, delta = self.num_pos, self.delta
        edges, order = torch.cat([self.pos_scores - delta,
                                  self.pos_scores + delta]).sort()
        position = torch.empty_like(order)
        position[order] = torch.arange(2 * num_pos, device=order.device)
        self._window_lo = position[:num_pos]
        self._window_hi = position[num_pos:]
        edges = round_down(edges, self.compute_dtype)
        # lower edge of every bucket, the reference its offsets are taken from
        bucket_ref = torch.cat([edges[:1], edges, edges[-1:]])
        self._ref_shifted = bucket_ref.double() - self._origin
        bucket = bucketize(scores, edges)
        bucket = torch.where(neg_mask, bucket,
                             bucket.new_tensor(2 * num_pos + 1))
        offset = scores - bucket_ref.index_select(0, bucket)
        num_buckets = 2 * num_pos + 2
        counts = torch.bincount(bucket, minlength=num_buckets).double()
        offset_sums = torch.bincount(bucket, weights=offset.double(),
                                     minlength=num_buckets)
        self._bucket, self._offset = bucket, offset
        self._counts, self._offset_sums = counts, offset_sums
        sums = offset_sums + counts * self._ref_shifted
        count_prefix = _prefix(counts[:-1])
        sum_prefix = _prefix(sums[:-1])
        first = self._window_lo + 1
        past = self._window_hi + 1
        above = count_prefix[-1] - count_prefix[past]
        c_win = count_prefix[past] - count_prefix[first]
        s_win = sum_prefix[past] - sum_prefix[first]
        self.n_fp = above + (s_win - self._shifted * c_win) / (2 * delta) \
            + 0.5 * c_win
        self.rank = self.rank_pos + self.n_fp
        # read in loss() with the other statistics (RankingStats)
        self._relevant_neg_count = count_prefix[-1] - count_prefix[1]

    def _negative_tables(self, weights: Tensor) -> Tuple[Tensor, Tensor]:
        """Per-bucket (base, slope) such that a negative j in bucket k gets
        sum_i w_i H(x_ij) = base[k] + slope[k] * (s_j - ref[k])."""
        num_buckets = 2 * self.num_pos + 2
        first, past = self._window_lo + 1, self._window_hi + 1
        zeros = weights.new_zeros(num_buckets)
        w_full = zeros.index_add(0, past, weights).cumsum(0)
        w_win = zeros.index_add(0, first, weights).index_add(
            0, past, -weights).cumsum(0)
        ws = weights * self._shifted
        ws_win = zeros.index_add(0, first, ws).index_add(0, past,
                                                         -ws).cumsum(0)
        base = w_full + 0.5 * w_win \
            + (w_win * self._ref_shifted - ws_win) / (2 * self.delta)
        slope = w_win / (2 * self.delta)
        base[-1] = 0.0
        slope[-1] = 0.0
        return base, slope

    # ------------------------------------------------------------ the loss
    def loss(self, terms: Optional[RankingTerms], fp_eps: float = FP_EPS
             ) -> Tuple[Tensor, RankingStats]:
        """The loss sum_i value_i / Z with the error-driven score gradient;
        ``terms`` may be None when there is no positive (the loss is 0).
        Positives with N_FP(i) <= ``fp_eps`` pass no error on.

        Returns:
            The scalar loss (float32, float64 for float64 logits), connected
            to ``logits`` through the gradient of Eq. 5, and diagnostics.
        """
        dtype = self.compute_dtype
        if self.num_pos == 0:
            zero = self.logits.new_zeros((), dtype=dtype)
            loss = _ErrorDrivenGradient.apply(self.logits, zero, None)
            return loss, RankingStats(0, 0, 1.0)
        z = float(terms.normaliser)
        active = self.n_fp > fp_eps
        error = terms.error.detach().double() / z
        pos_grad = torch.where(active, -error, torch.zeros_like(error))
        neg_weights = torch.where(active, error / self.n_fp.clamp(min=fp_eps),
                                  torch.zeros_like(error))
        base, slope = self._negative_tables(neg_weights)
        pos_total = pos_grad.abs().sum()
        neg_total = (self._counts * base + self._offset_sums * slope).sum()
        # one read of the statistics (reads stall a GPU stream)
        ratio, pos_total, relevant_neg = torch.stack([
            neg_total / pos_total, pos_total,
            self._relevant_neg_count.to(pos_total.dtype)
        ]).tolist()
        balance = ratio if pos_total > 0 else 1.0
        value = (terms.value.detach().double().sum() / z).to(dtype)
        loss = _ErrorDrivenGradient.apply(
            self.logits, value,
            (self._bucket, self._offset, base, slope, self.pos_index,
             pos_grad))
        return loss, RankingStats(self.num_pos, int(relevant_neg), balance)


class _ErrorDrivenGradient(torch.autograd.Function):
    """Returns ``value``; its backward puts the precomputed error-driven
    gradient on the logits."""

    @staticmethod
    def forward(ctx, logits: Tensor, value: Tensor,
                tables: Optional[tuple]) -> Tensor:
        ctx.logits_dtype = logits.dtype
        ctx.logits_shape = logits.shape
        ctx.tables = tables
        return value.clone()

    @staticmethod
    def backward(ctx, grad_output: Tensor):
        if ctx.tables is None:
            grad = grad_output.new_zeros(ctx.logits_shape,
                                         dtype=ctx.logits_dtype)
            return grad, None, None
        bucket, offset, base, slope, pos_index, pos_grad = ctx.tables
        scale = grad_output.double()
        base = (base * scale).to(offset.dtype)
        slope = (slope * scale).to(offset.dtype)
        grad = torch.addcmul(base.index_select(0, bucket),
                             slope.index_select(0, bucket), offset)
        grad[pos_index] = (pos_grad * scale).to(grad.dtype)
        return grad.to(ctx.logits_dtype), None, None


def error_driven_ranking_loss(
        logits: Tensor, labels: Tensor,
        terms: Callable[[BatchRanking], RankingTerms],
        delta: float = 1.0,
        fp_eps: float = FP_EPS) -> Tuple[Tensor, BatchRanking, RankingStats]:
    """Any ranking loss through the generic error-driven block (Sec. 3).

    Args:
        logits: 1-D logits of every (anchor, class) pair of the batch.
        labels: same shape; 1 positive, 0 negative, -1 ignored.
        terms: maps the batch ranking to the loss's per-positive
            :class:`RankingTerms` (value, ``l(i) - l*(i)`` and Z).
        delta: half-width of the smoothed step H.
        fp_eps: positives with N_FP(i) at or below it pass no error on
            (aLRP and AP Loss: :data:`FP_EPS`; RS Loss: 1e-10).

    Returns:
        ``(loss, ranking, stats)``.
    """
    ranking = BatchRanking(logits, labels, delta)
    if ranking.num_pos == 0:
        loss, stats = ranking.loss(None)
    else:
        loss, stats = ranking.loss(terms(ranking), fp_eps)
    return loss, ranking, stats
