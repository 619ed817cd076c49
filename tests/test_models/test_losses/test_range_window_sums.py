import pytest
import torch

from alrp_mmdet.models.losses.range_window_sums import RangeWindowSums


def step_h(x, delta):
    return torch.clamp(x / (2 * delta) + 0.5, 0, 1)


def dense_sums(scores, weights, query_scores, start, stop, delta):
    """Both sums as explicit (queries x points) matrices."""
    position = torch.arange(scores.numel())
    in_range = ((position[None, :] >= start[:, None]) &
                (position[None, :] < stop[:, None])).double()
    x = scores[None, :] - query_scores[:, None]  # [q, p] = s_p - t_q
    return ((in_range * step_h(x, delta)) @ weights,
            (in_range * step_h(-x, delta)) @ weights)


def random_queries(num_points, num_queries, gen):
    ends = torch.randint(0, num_points + 1, (2, num_queries), generator=gen)
    return ends.min(0).values, ends.max(0).values


@pytest.mark.parametrize('num_points', [1, 2, 3, 4, 7, 8, 9, 31, 64, 200,
                                        1025])
@pytest.mark.parametrize('delta', [0.5, 1.0])
@pytest.mark.parametrize('ties', [False, True])
def test_matches_dense_sums(num_points, delta, ties):
    gen = torch.Generator().manual_seed(num_points)
    scores = torch.randn(num_points, generator=gen, dtype=torch.float64) * 2
    if ties:
        scores = torch.round(scores * 2) / 2  # many scores on window edges
    weights = torch.rand(num_points, 3, generator=gen, dtype=torch.float64)
    query_scores = torch.cat([
        torch.randn(60, generator=gen, dtype=torch.float64) * 2,
        scores[:20], scores[:20] + delta, scores[:20] - delta])
    start, stop = random_queries(num_points, query_scores.numel(), gen)
    sums = RangeWindowSums(scores, delta)
    want_above, want_below = dense_sums(scores, weights, query_scores, start,
                                        stop, delta)
    torch.testing.assert_close(
        sums.above(weights, query_scores, start, stop), want_above,
        rtol=1e-10, atol=1e-12)
    torch.testing.assert_close(
        sums.below(weights, query_scores, start, stop), want_below,
        rtol=1e-10, atol=1e-12)


def test_every_prefix_and_suffix_of_a_small_order():
    scores = torch.tensor([0.3, -1.0, 2.0, 0.3, 0.9], dtype=torch.float64)
    weights = torch.tensor([[1.0], [2.0], [4.0], [8.0], [16.0]],
                           dtype=torch.float64)
    sums = RangeWindowSums(scores, 1.0)
    pairs = [(a, b) for a in range(6) for b in range(a, 6)]
    start = torch.tensor([a for a, _ in pairs])
    stop = torch.tensor([b for _, b in pairs])
    query_scores = torch.full((len(pairs), ), 0.3, dtype=torch.float64)
    want, _ = dense_sums(scores, weights, query_scores, start, stop, 1.0)
    got = sums.above(weights, query_scores, start, stop)
    torch.testing.assert_close(got, want, rtol=1e-14, atol=1e-14)
    # H(s - 0.3) over the whole order: 0.5, 0 (below), 1 (above), 0.5, 0.8
    assert got[pairs.index((0, 5)), 0].item() == pytest.approx(
        0.5 * 1 + 0.0 * 2 + 1.0 * 4 + 0.5 * 8 + 0.8 * 16)
    # positions 1..3 only
    assert got[pairs.index((1, 4)), 0].item() == pytest.approx(4 + 4)


def test_empty_ranges_and_no_points_give_zero():
    sums = RangeWindowSums(torch.randn(10, dtype=torch.float64), 0.5)
    weights = torch.ones(10, 2, dtype=torch.float64)
    at = torch.tensor([0, 4, 10])
    got = sums.above(weights, torch.zeros(3, dtype=torch.float64), at, at)
    assert (got == 0).all()
    empty = RangeWindowSums(torch.empty(0, dtype=torch.float64), 0.5)
    got = empty.below(torch.empty(0, 1, dtype=torch.float64),
                      torch.zeros(2, dtype=torch.float64),
                      torch.zeros(2, dtype=torch.long),
                      torch.zeros(2, dtype=torch.long))
    assert got.shape == (2, 1) and (got == 0).all()


def test_large_scores_are_summed_relative_to_the_lowest():
    # offsets of 1e7 would lose the window's linear part in absolute sums
    gen = torch.Generator().manual_seed(0)
    scores = torch.randn(500, generator=gen, dtype=torch.float64) + 1e7
    weights = torch.rand(500, 1, generator=gen, dtype=torch.float64)
    start, stop = random_queries(500, 100, gen)
    query_scores = scores[:100]
    want, _ = dense_sums(scores, weights, query_scores, start, stop, 0.5)
    got = RangeWindowSums(scores, 0.5).above(weights, query_scores, start,
                                             stop)
    torch.testing.assert_close(got, want, rtol=1e-9, atol=1e-9)
