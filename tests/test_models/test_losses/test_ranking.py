"""The generic error-driven block: a new loss needs only its terms."""
import math
import re

import pytest
import torch

from alrp_mmdet.models.losses import (RankingTerms, alrp_loss, ap_loss,
                                      error_driven_ranking_loss,
                                      rank_sort_loss)
from alrp_mmdet.models.losses.ranking import bucketize, check_delta
from . import brute_force
from ...helpers.ranking_cases import random_case


def ndcg_terms(ranking):
    """NDCG Loss (App. D): l(i) = (G_max/|P| - G(i)) / G_max, Z = 1, and
    target l*(i) with G(i) = 1, so l(i) - l*(i) = (1 - G(i)) / G_max."""
    num_pos = ranking.num_pos
    g_max = sum(1 / math.log2(1 + i) for i in range(1, num_pos + 1))
    gain = 1 / torch.log2(1 + ranking.rank)
    return RankingTerms(value=(g_max / num_pos - gain) / g_max,
                        error=(1 - gain) / g_max, normaliser=1.0)


@pytest.mark.parametrize('seed', range(60))
def test_ndcg_through_generic_block_matches_brute_force(seed):
    logits, labels, _, delta = random_case(seed)
    logits.requires_grad_()
    ref = brute_force.ndcg(logits, labels, delta)
    loss, _, stats = error_driven_ranking_loss(logits, labels, ndcg_terms,
                                               delta)
    torch.testing.assert_close(loss, ref['loss'], rtol=1e-6, atol=1e-12)
    loss.backward()
    torch.testing.assert_close(logits.grad, ref['grad_logits'], rtol=1e-6,
                               atol=1e-12)
    assert stats.grad_balance == pytest.approx(1.0, rel=1e-9)


@pytest.mark.parametrize('seed', range(30))
def test_ranks_match_brute_force(seed):
    logits, labels, _, delta = random_case(seed)
    _, ranking, stats = error_driven_ranking_loss(
        logits, labels, lambda r: RankingTerms(r.rank, r.rank, 1.0), delta)
    ref = brute_force.relations(logits, labels, delta)
    torch.testing.assert_close(ranking.rank, ref['rank'], rtol=1e-9, atol=0)
    torch.testing.assert_close(ranking.n_fp, ref['n_fp'], rtol=1e-9,
                               atol=1e-12)
    lowest = ref['sp'].min()
    relevant = (ref['neg'] & (logits > lowest - delta)).sum()
    assert stats.num_relevant_neg == int(relevant)


@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
@pytest.mark.parametrize('seed', range(20))
def test_bucketize_equals_searchsorted(seed, dtype):
    gen = torch.Generator().manual_seed(seed)
    num_edges = int(torch.randint(1, 50, (1, ), generator=gen))
    edges = torch.randn(num_edges, generator=gen, dtype=dtype) * 3
    if seed % 2:
        edges = torch.round(edges)  # duplicate edges
    if seed % 5 == 0:
        edges = edges + 1e4  # coarse float spacing
    edges = edges.sort().values
    scores = torch.cat([
        torch.randn(5000, generator=gen, dtype=dtype) * 4 + edges.mean(),
        edges, edges + 1e-3, torch.nextafter(edges, edges - 1),
        edges.new_tensor([-1e30, 1e30])
    ])
    torch.testing.assert_close(
        bucketize(scores, edges, cells_per_edge=int(1 + seed % 7)),
        torch.searchsorted(edges, scores, out_int32=True), rtol=0, atol=0)


@pytest.mark.parametrize('scores_per_cell', [1, 2, 50, 10**6])
def test_bucketize_with_fewer_cells_than_edges_times_cells_per_edge(
        scores_per_cell):
    # many edges for few scores: the cell count is capped by the scores
    gen = torch.Generator().manual_seed(scores_per_cell)
    edges = torch.randn(3000, generator=gen).sort().values
    scores = torch.cat([torch.randn(4000, generator=gen), edges[::7]])
    torch.testing.assert_close(
        bucketize(scores, edges, scores_per_cell=scores_per_cell),
        torch.searchsorted(edges, scores, out_int32=True), rtol=0, atol=0)


@pytest.mark.parametrize('delta', ['1', None, True, 1e-8, 0.009, 100.5, 1e39,
                                   1e-37, float('nan'), -1.0])
@pytest.mark.parametrize('loss', ['alrp', 'ap', 'rank_sort'])
def test_functional_losses_refuse_a_delta_outside_its_range(loss, delta):
    logits = torch.tensor([0.5, -0.2, 0.1])
    labels = torch.tensor([1, 0, 0])
    call = dict(
        alrp=lambda: alrp_loss(logits, labels, torch.tensor([0.3]), delta),
        ap=lambda: ap_loss(logits, labels, delta),
        rank_sort=lambda: rank_sort_loss(logits, labels, torch.tensor([0.7]),
                                         delta))[loss]
    with pytest.raises(ValueError,
                       match=r'delta must be a finite positive number in '
                       r'\[0.01, 100\].*got ' + re.escape(repr(delta))):
        call()


@pytest.mark.parametrize('delta', [0.01, 100, 100.0])
def test_the_ends_of_the_delta_range_rank_ordinary_logits(delta):
    # the smallest delta still takes logits up to 655 in magnitude
    logits = torch.tensor([600.0, -650.0, 599.999, 0.0])
    labels = torch.tensor([1, 0, 0, 0])
    loss_cls, _ = alrp_loss(logits, labels, torch.tensor([0.2]), delta)
    # the negative at 599.999 lies inside the window either way
    assert 0 < loss_cls.item() < 1
    assert check_delta(delta) == float(delta)
