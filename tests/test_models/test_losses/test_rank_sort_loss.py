import pytest
import torch

from alrp_mmdet.models.losses import RankSortLoss, rank_sort_loss
from alrp_mmdet.models.losses.rank_sort_loss import sorting_terms
from mmdet.registry import MODELS
from . import brute_force
from ...helpers.ranking_cases import random_case

# Reference section 1.10, Example A (delta 0.5): four positives, four
# negatives (e7 below every window), one ignored entry
EXAMPLE_A = dict(
    logits=[2.0, 1.0, 0.8, -1.0, 1.5, 0.9, -1.2, -3.0, 5.0],
    labels=[1, 1, 1, 1, 0, 0, 0, 0, -1],
    ious=[0.90, 0.60, 0.95, 0.50],
    loss_rank=0.31377609, loss_sort=0.03352273,
    grad=[0.019719, -0.095572, -0.138786, -0.099138, 0.187018, 0.113827,
          0.012931, 0, 0])
EXAMPLE_B = dict(logits=[0.0, 1.0], labels=[1, 0], ious=[0.7],
                 loss_rank=2 / 3, loss_sort=0.0, grad=[-2 / 3, 2 / 3])
# two positives tied at the same logit and IoU, a negative below the window
EXAMPLE_C = dict(logits=[1.0, 1.0, 0.0], labels=[1, 1, 0], ious=[0.8, 0.8],
                 loss_rank=0.0, loss_sort=0.0, grad=[0.0, 0.0, 0.0])


def tensors(example, dtype=torch.float64):
    logits = torch.tensor(example['logits'], dtype=dtype, requires_grad=True)
    return (logits, torch.tensor(example['labels']),
            torch.tensor(example['ious'], dtype=dtype))


@pytest.mark.parametrize('example', [EXAMPLE_A, EXAMPLE_B, EXAMPLE_C],
                         ids=['A', 'B', 'C'])
def test_worked_examples(example):
    logits, labels, ious = tensors(example)
    loss_rank, loss_sort = rank_sort_loss(logits, labels, ious, delta=0.5)
    assert loss_rank.item() == pytest.approx(example['loss_rank'], abs=1e-8)
    assert loss_sort.item() == pytest.approx(example['loss_sort'], abs=1e-8)
    (loss_rank + loss_sort).backward()
    assert logits.grad.tolist() == pytest.approx(example['grad'], abs=1e-6)


def test_example_a_in_float32_and_per_term():
    logits, labels, ious = tensors(EXAMPLE_A, torch.float32)
    loss_rank, loss_sort = rank_sort_loss(logits, labels, ious)
    loss_sort.backward()
    sorting = logits.grad.clone()
    # e2 (IoU 0.95) is mis-sorted below e0 (0.90) and e1 (0.60): it is
    # pushed up and passes its sorting error on to them alone
    assert sorting[[3, 4, 5, 6, 7, 8]].abs().max() == 0
    assert sorting[2] < 0 < sorting[0] and sorting[1] > 0
    assert sorting.sum().item() == pytest.approx(0, abs=1e-7)
    logits.grad = None
    loss_rank.backward()
    assert logits.grad[4:8].sum().item() == pytest.approx(
        EXAMPLE_A['loss_rank'], rel=1e-6)


def test_the_hard_step_is_refused():
    # reference Example D uses delta 0 (the hard step, H(0) = 1)
    logits, labels, ious = tensors(EXAMPLE_A)
    with pytest.raises(ValueError, match='delta must be a finite positive'):
        rank_sort_loss(logits, labels, ious, delta=0.0)


def rs_case(seed, dtype=torch.float64):
    """A random ranking problem with IoU targets: IoU ties and zeros in
    some cases, deltas 0.5 and 1."""
    logits, labels, ious, _ = random_case(seed, dtype)
    if seed % 2:
        ious = torch.round(ious * 4) / 4  # ties, and IoU 0 stays positive
    return logits, labels, ious, (0.5, 1.0)[seed % 2]


def assert_matches_brute_force(logits, labels, ious, delta):
    """Both losses and both gradients against the dense brute force."""
    logits.requires_grad_()
    ref = brute_force.rank_sort(logits, labels, ious, delta)
    loss_rank, loss_sort = rank_sort_loss(logits, labels, ious, delta)
    for got, want in ((loss_rank, ref['loss_rank']),
                      (loss_sort, ref['loss_sort'])):
        torch.testing.assert_close(got, want, rtol=1e-6, atol=1e-12)
    loss_rank.backward()
    torch.testing.assert_close(logits.grad, ref['grad_rank'], rtol=1e-6,
                               atol=1e-12)
    logits.grad = None
    loss_sort.backward()
    torch.testing.assert_close(logits.grad, ref['grad_sort'], rtol=1e-6,
                               atol=1e-12)


@pytest.mark.parametrize('seed', range(120))
def test_matches_brute_force(seed):
    assert_matches_brute_force(*rs_case(seed))


@pytest.mark.parametrize('seed', range(40))
def test_gradient_mass_properties(seed):
    logits, labels, ious, delta = rs_case(seed)
    logits.requires_grad_()
    loss_rank, loss_sort = rank_sort_loss(logits, labels, ious, delta)
    loss_rank.backward()
    rank_grad = logits.grad.clone()
    # the negatives' gradient mass is the ranking loss (reference 1.8)
    assert rank_grad[labels == 0].sum().item() == pytest.approx(
        loss_rank.item(), rel=1e-9, abs=1e-9)
    assert (rank_grad[labels == 0] >= 0).all()
    assert (rank_grad[labels == -1] == 0).all()
    logits.grad = None
    loss_sort.backward()
    # sorting moves gradient among positives only and sums to zero
    assert (logits.grad[labels != 1] == 0).all()
    assert logits.grad.sum().item() == pytest.approx(0, abs=1e-12)


def test_perfect_ranking_and_sorting_is_zero():
    # positives above every negative by delta, sorted by IoU with gaps delta
    logits = torch.tensor([3.0, 2.0, 1.0, -1.0, -2.0], requires_grad=True)
    labels = torch.tensor([1, 1, 1, 0, 0])
    ious = torch.tensor([0.9, 0.7, 0.7])
    loss_rank, loss_sort = rank_sort_loss(logits, labels, ious)
    (loss_rank + loss_sort).backward()
    assert loss_rank.item() == 0 and loss_sort.item() == 0
    assert (logits.grad == 0).all()


def test_no_positive_is_a_zero_loss_that_reaches_the_logits():
    logits = torch.randn(20, requires_grad=True)
    loss_rank, loss_sort = rank_sort_loss(logits, torch.zeros(20).long(),
                                          torch.empty(0))
    assert loss_rank.item() == 0 and loss_sort.item() == 0
    (loss_rank + loss_sort).backward()
    assert logits.grad is not None and (logits.grad == 0).all()


def test_all_ious_zero_is_still_a_ranking_of_positives():
    # the released code turned IoU-0 positives into negatives and crashed
    logits = torch.tensor([0.5, 0.2, 0.9, -0.3], dtype=torch.float64,
                          requires_grad=True)
    labels = torch.tensor([1, 1, 0, 0])
    ious = torch.zeros(2, dtype=torch.float64)
    ref = brute_force.rank_sort(logits, labels, ious, 0.5)
    loss_rank, loss_sort = rank_sort_loss(logits, labels, ious)
    assert loss_rank.item() == pytest.approx(ref['loss_rank'].item())
    assert loss_rank.item() > 0 and loss_sort.item() == 0


def large_case(num_pos, delta, seed):
    """Many positives with heavy logit ties (a 0.25 grid) and IoU ties (six
    values, 0 and 1 among them), twice as many negatives, some ignored."""
    gen = torch.Generator().manual_seed(seed)
    size = 3 * num_pos + 50
    logits = torch.round(
        torch.randn(size, generator=gen, dtype=torch.float64) * 8) / 4
    labels = torch.zeros(size, dtype=torch.long)
    labels[torch.randperm(size, generator=gen)[:num_pos]] = 1
    labels[(labels == 0) & (torch.rand(size, generator=gen) < 0.02)] = -1
    levels = torch.tensor([0.0, 0.3, 0.5, 0.5, 0.8, 1.0], dtype=torch.float64)
    ious = levels[torch.randint(0, 6, (num_pos, ), generator=gen)]
    return logits, labels, ious, delta


@pytest.mark.parametrize('num_pos, delta, seed', [(700, 0.5, 0),
                                                  (700, 1.0, 1),
                                                  (2500, 0.5, 2),
                                                  (5000, 1.0, 3)])
def test_many_positives_with_ties_match_brute_force(num_pos, delta, seed):
    assert_matches_brute_force(*large_case(num_pos, delta, seed))


def test_sorting_terms_against_a_loop_over_positives():
    # e_S(i) and the sorting gradient written per positive, as the RS paper
    # states them, on IoU ties and a logit tie
    scores = torch.tensor([1.0, 0.2, 0.2, -0.4, 0.9], dtype=torch.float64)
    ious = torch.tensor([0.5, 0.9, 0.5, 1.0, 0.0], dtype=torch.float64)
    delta = 0.5
    h = torch.clamp((scores[None, :] - scores[:, None]) / (2 * delta) + 0.5,
                    0, 1)
    error, own, passed = [], [], torch.zeros(5, dtype=torch.float64)
    for i in range(5):
        current = (h[i] * (1 - ious)).sum() / h[i].sum()
        keep = ious >= ious[i]
        target = (h[i][keep] * (1 - ious[keep])).sum() / h[i][keep].sum()
        error.append(current - target)
        lower = h[i] * (ious < ious[i])
        own.append(error[-1] if lower.sum() > 1e-10 else error[-1] * 0)
        if lower.sum() > 1e-10:
            passed += lower * error[-1] / lower.sum()
    terms = sorting_terms(scores, ious, delta)
    torch.testing.assert_close(terms.error, torch.stack(error))
    torch.testing.assert_close(terms.grad, passed - torch.stack(own))
    assert terms.error.min() >= 0 and terms.error.max() > 0


@pytest.mark.parametrize('make_ious, error, match', [
    (lambda i: i[:2], ValueError, r'one entry per positive \(4\)'),
    (lambda i: i.long(), TypeError, 'floating-point'),
    (lambda i: i + 0.5, ValueError, r'\[0, 1\]'),
    (lambda i: i - 0.6, ValueError, r'\[0, 1\]'),
    (lambda i: i * float('nan'), ValueError, 'NaN or infinite'),
])
def test_bad_ious_raise(make_ious, error, match):
    logits, labels, ious = tensors(EXAMPLE_A)
    with pytest.raises(error, match=match):
        rank_sort_loss(logits, labels, make_ious(ious))


def test_module_is_registered_and_matches_function():
    module = MODELS.build(dict(type='RankSortLoss', delta=1.0))
    assert isinstance(module, RankSortLoss) and module.use_sigmoid
    logits, labels, ious, _ = rs_case(5)
    output = module(logits, labels, ious)
    want = rank_sort_loss(logits, labels, ious, 1.0)
    assert output.losses['loss_rank'].item() == want[0].item()
    assert output.losses['loss_sort'].item() == want[1].item()
    assert output.stats.num_pos == int((labels == 1).sum())
    for bad in (dict(use_sigmoid=False), dict(delta=0.0),
                dict(delta=float('inf'))):
        with pytest.raises(ValueError):
            RankSortLoss(**bad)


@pytest.mark.parametrize('logits, labels, ious, part, moved', [
    # a negative 1e-7 inside the window of the positive: N_FP = 1e-7
    ([0.0, -0.5 + 1e-7], [1, 0], [0.9], 'rank', 1),
    # a lower-IoU positive 1e-7 inside the window of the first: D = 1e-7
    ([0.0, -0.5 + 1e-7, -9.0], [1, 1, 0], [0.9, 0.5], 'sort', 1),
])
def test_tiny_errors_are_passed_on_above_eps_1e_10(logits, labels, ious,
                                                   part, moved):
    # RS Loss moves errors above 1e-10 (aLRP's threshold is 1e-5)
    logits = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    labels, ious = torch.tensor(labels), torch.tensor(ious,
                                                      dtype=torch.float64)
    ref = brute_force.rank_sort(logits, labels, ious, 0.5)
    loss_rank, loss_sort = rank_sort_loss(logits, labels, ious)
    (loss_rank if part == 'rank' else loss_sort).backward()
    assert logits.grad[moved].item() > 0
    torch.testing.assert_close(logits.grad, ref[f'grad_{part}'], rtol=1e-6,
                               atol=1e-15)
