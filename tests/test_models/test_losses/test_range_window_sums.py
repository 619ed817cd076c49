import pytest
import torch

from alrp_mmdet.models.losses import range_window_sums
from alrp_mmdet.models.losses.range_window_sums import RangeWindowSums


def step_h(x, delta):
    return torch.clamp(x / (2 * delta) + 0.5, 0, 1)


def dense_sums(scores, weights, query_scores, split, delta):
    """Sums before and after each split, above and below, as explicit
    (queries x points) matrices."""
    position = torch.arange(scores.numel())
    after = (position[None, :] >= split[:, None]).double()
    x = scores[None, :] - query_scores[:, None]  # [q, p] = s_p - t_q
    sums = {}
    for name, sign in (('above', 1), ('below', -1)):
        h = step_h(sign * x, delta)
        sums[name] = ((1 - after) * h @ weights, after * h @ weights)
    return sums


def assert_sums(index, weights, query_scores, split, want, **tolerance):
    for name in ('above', 'below'):
        got = getattr(index, name)(weights, query_scores, split)
        torch.testing.assert_close(got.before, want[name][0], **tolerance)
        torch.testing.assert_close(got.after, want[name][1], **tolerance)


@pytest.mark.parametrize('num_points', [1, 2, 3, 4, 7, 8, 9, 31, 64, 200,
                                        1025])
@pytest.mark.parametrize('delta', [0.5, 1.0])
@pytest.mark.parametrize('ties', [False, True])
@pytest.mark.parametrize('direct_bits', [range_window_sums.LEAF_BITS,
                                         range_window_sums.DIRECT_BITS])
def test_matches_dense_sums(num_points, delta, ties, direct_bits,
                            monkeypatch):
    # direct_bits = LEAF_BITS: the tree is walked from 9 points on, as it
    # is by default from 128 on
    monkeypatch.setattr(range_window_sums, 'DIRECT_BITS', direct_bits)
    gen = torch.Generator().manual_seed(num_points)
    scores = torch.randn(num_points, generator=gen, dtype=torch.float64) * 2
    if ties:
        scores = torch.round(scores * 2) / 2  # many scores on window edges
    weights = torch.rand(num_points, 3, generator=gen, dtype=torch.float64)
    query_scores = torch.cat([
        torch.randn(60, generator=gen, dtype=torch.float64) * 2,
        scores[:20], scores[:20] + delta, scores[:20] - delta])
    split = torch.randint(0, num_points + 1, (query_scores.numel(), ),
                          generator=gen)
    split[:2] = torch.tensor([0, num_points])
    want = dense_sums(scores, weights, query_scores, split, delta)
    index = RangeWindowSums(scores, delta)
    walked = len(list(index.levels()))
    assert (walked > 0) == (num_points >= 2**direct_bits)
    assert_sums(index, weights, query_scores, split, want, rtol=1e-10,
                atol=1e-12)


def test_every_split_of_a_small_order():
    scores = torch.tensor([0.3, -1.0, 2.0, 0.3, 0.9], dtype=torch.float64)
    weights = torch.tensor([[1.0], [2.0], [4.0], [8.0], [16.0]],
                           dtype=torch.float64)
    split = torch.arange(6)
    query_scores = torch.full((6, ), 0.3, dtype=torch.float64)
    got = RangeWindowSums(scores, 1.0).above(weights, query_scores, split)
    # H(s - 0.3): 0.5, 0 (below the window), 1 (above it), 0.5, 0.8
    terms = [0.5 * 1, 0.0 * 2, 1.0 * 4, 0.5 * 8, 0.8 * 16]
    for at in range(6):
        assert got.before[at, 0].item() == pytest.approx(sum(terms[:at]))
        assert got.after[at, 0].item() == pytest.approx(sum(terms[at:]))


def test_no_points_give_zero():
    empty = RangeWindowSums(torch.empty(0, dtype=torch.float64), 0.5)
    got = empty.below(torch.empty(0, 1, dtype=torch.float64),
                      torch.zeros(2, dtype=torch.float64),
                      torch.zeros(2, dtype=torch.long))
    assert got.before.shape == got.after.shape == (2, 1)
    assert (got.before == 0).all() and (got.after == 0).all()


def test_large_scores_are_summed_relative_to_the_lowest():
    # offsets of 1e7 would lose the window's linear part in absolute sums
    gen = torch.Generator().manual_seed(0)
    scores = torch.randn(500, generator=gen, dtype=torch.float64) + 1e7
    weights = torch.rand(500, 1, generator=gen, dtype=torch.float64)
    split = torch.randint(0, 501, (100, ), generator=gen)
    query_scores = scores[:100]
    want = dense_sums(scores, weights, query_scores, split, 0.5)
    assert_sums(RangeWindowSums(scores, 0.5), weights, query_scores, split,
                want, rtol=1e-9, atol=1e-9)
