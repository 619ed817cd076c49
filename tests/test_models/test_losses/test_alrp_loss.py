import pytest
import torch

from alrp_mmdet.models.losses import ALRPLoss, alrp_loss
from mmdet.registry import MODELS
from . import brute_force
from ...helpers.ranking_cases import random_case

# Paper Fig. 1 / Table A.6: scores 1.0 ... 0.1, positives a1, a3, a6, a10.
TOY_SCORES = torch.arange(10, 0, -1, dtype=torch.float64) / 10
TOY_LABELS = torch.tensor([1, 0, 1, 0, 0, 1, 0, 0, 0, 1])
TOY_IOUS = {
    'R1': [0.95, 0.80, 0.65, 0.50],
    'R2': [0.80, 0.65, 0.50, 0.95],
    'R3': [0.50, 0.65, 0.80, 0.95],
}
# Table A.6 (R2 with the typo of its last row corrected, reference 5.14)
TOY_LOSS = {'R1': 0.53, 'R2': 0.6925, 'R3': 0.8925}
TOY_LOSS_CLS = 0.358333
# Derived score gradients per anchor (reference 6.2), divided by |P|
TOY_GRADS = {
    'R1': [0, .170278, -.091667, .078611, .078611, -.145833, .03, .03, .03,
           -.18],
    'R2': [0, .207361, -.116667, .090694, .090694, -.170833, .03375, .03375,
           .03375, -.2025],
    'R3': [0, .265694, -.166667, .099028, .099028, -.195833, .03375, .03375,
           .03375, -.2025],
}


def toy_inputs(output):
    # logit gaps of 2 >= delta: the smoothed H equals the step function
    logits = (20 * TOY_SCORES).requires_grad_()
    ious = torch.tensor(TOY_IOUS[output], dtype=torch.float64)
    loc_errors = ((1 - ious) / 0.5).requires_grad_()
    return logits, loc_errors


@pytest.mark.parametrize('output', ['R1', 'R2', 'R3'])
def test_toy_example_matches_paper(output):
    logits, loc_errors = toy_inputs(output)
    loss_cls, loss_loc = alrp_loss(logits, TOY_LABELS, loc_errors)
    assert loss_cls.item() == pytest.approx(TOY_LOSS_CLS, abs=1e-6)
    assert (loss_cls + loss_loc).item() == pytest.approx(TOY_LOSS[output],
                                                         abs=1e-6)
    assert round((loss_cls + loss_loc).item(), 2) == round(TOY_LOSS[output], 2)
    loss_cls.backward()
    assert logits.grad.tolist() == pytest.approx(TOY_GRADS[output], abs=1e-6)
    assert loc_errors.grad is None
    # the three outputs rank identically: only localisation differs
    pos_grad = logits.grad[TOY_LABELS == 1].abs().sum()
    neg_grad = logits.grad[TOY_LABELS == 0].abs().sum()
    assert pos_grad.item() == pytest.approx(neg_grad.item(), rel=1e-12)


def test_toy_localisation_gradient_reaches_loc_errors_only():
    logits, loc_errors = toy_inputs('R1')
    _, loss_loc = alrp_loss(logits, TOY_LABELS, loc_errors)
    loss_loc.backward()
    assert logits.grad is None
    # E_loc(k) weighs 1/|P| sum over positives ranked at or below k of 1/rank
    ranks = torch.tensor([1., 3., 6., 10.], dtype=torch.float64)
    expected = (1 / ranks).flip(0).cumsum(0).flip(0) / 4
    torch.testing.assert_close(loc_errors.grad, expected)


@pytest.mark.parametrize('seed', range(120))
def test_matches_brute_force(seed):
    logits, labels, loc_errors, delta = random_case(seed)
    logits.requires_grad_()
    loc_errors.requires_grad_()
    ref = brute_force.alrp(logits, labels, loc_errors, delta)
    loss_cls, loss_loc = alrp_loss(logits, labels, loc_errors, delta)
    torch.testing.assert_close(loss_cls, ref['loss_cls'], rtol=1e-6,
                               atol=1e-12)
    torch.testing.assert_close(loss_loc, ref['loss_loc'], rtol=1e-6,
                               atol=1e-12)
    loss_cls.backward()
    torch.testing.assert_close(logits.grad, ref['grad_logits'], rtol=1e-6,
                               atol=1e-12)
    assert loc_errors.grad is None
    loss_loc.backward()
    torch.testing.assert_close(loc_errors.grad, ref['grad_loc'], rtol=1e-6,
                               atol=1e-12)


@pytest.mark.parametrize('seed', range(40))
def test_theorem_2_gradients_balance(seed):
    logits, labels, loc_errors, delta = random_case(seed)
    logits.requires_grad_()
    loss_cls, _, stats = alrp_loss(logits, labels, loc_errors, delta,
                                   return_stats=True)
    loss_cls.backward()
    grad = logits.grad
    pos, neg = grad[labels == 1], grad[labels == 0]
    assert (pos <= 0).all() and (neg >= 0).all()
    assert (grad[labels == -1] == 0).all()
    if pos.abs().sum() > 0:
        assert neg.abs().sum().item() == pytest.approx(
            pos.abs().sum().item(), rel=1e-9)
        assert stats.grad_balance == pytest.approx(1.0, rel=1e-9)


def test_float32_large_batch_matches_float64():
    gen = torch.Generator().manual_seed(0)
    size = 200_000
    logits64 = torch.randn(size, generator=gen, dtype=torch.float64) - 3
    labels = (torch.rand(size, generator=gen) < 0.002).long()
    labels[torch.rand(size, generator=gen) < 0.01] = -1
    loc_errors = torch.rand(int((labels == 1).sum()), generator=gen,
                            dtype=torch.float64)
    exact = alrp_loss(logits64, labels, loc_errors)
    logits32 = logits64.float().requires_grad_()
    approx = alrp_loss(logits32, labels, loc_errors.float())
    for got, want in zip(approx, exact):
        assert got.dtype == torch.float32
        assert got.item() == pytest.approx(want.item(), rel=1e-5)


def test_relevant_negatives_and_dropping_far_negatives():
    logits = torch.tensor([0.0, 0.5, -0.9, -1.2, 3.0, -50.0],
                          dtype=torch.float64)
    labels = torch.tensor([1, 0, 0, 0, 0, 0])
    loc_errors = torch.tensor([0.3], dtype=torch.float64)
    loss_cls, loss_loc, stats = alrp_loss(logits, labels, loc_errors,
                                          return_stats=True)
    assert stats.num_pos == 1
    assert stats.num_relevant_neg == 3  # 0.5, -0.9 and 3.0
    more = torch.cat([logits, torch.full((1000, ), -1.0 - 1e-9,
                                         dtype=torch.float64)])
    more_labels = torch.cat([labels, torch.zeros(1000, dtype=torch.long)])
    again = alrp_loss(more, more_labels, loc_errors)
    assert again[0].item() == pytest.approx(loss_cls.item(), rel=1e-12)
    assert again[1].item() == pytest.approx(loss_loc.item(), rel=1e-12)


def test_perfect_ranking_gives_zero_cls_loss_and_gradient():
    logits = torch.tensor([5.0, 4.0, 1.9, -3.0], requires_grad=True)
    labels = torch.tensor([1, 1, 0, 0])
    loss_cls, loss_loc = alrp_loss(logits, labels, torch.tensor([0.2, 0.4]))
    loss_cls.backward()
    assert loss_cls.item() == 0.0
    assert (logits.grad == 0).all()
    # positive 2 (rank 2) sees both errors: (0.2 / 1 + 0.6 / 2) / 2
    assert loss_loc.item() == pytest.approx(0.25)


def test_permutation_invariance():
    logits, labels, loc_errors, delta = random_case(7)
    perm = torch.randperm(logits.numel(),
                          generator=torch.Generator().manual_seed(1))
    pos_positions = torch.nonzero(labels == 1).squeeze(1)
    error_of = dict(zip(pos_positions.tolist(), loc_errors.tolist()))
    permuted_errors = torch.tensor(
        [error_of[int(i)] for i in perm if labels[i] == 1],
        dtype=torch.float64)
    base = alrp_loss(logits, labels, loc_errors, delta)
    permuted = alrp_loss(logits[perm], labels[perm], permuted_errors, delta)
    for a, b in zip(base, permuted):
        assert a.item() == pytest.approx(b.item(), rel=1e-12)


def test_no_positives_gives_zero_loss_that_backpropagates():
    logits = torch.randn(50, requires_grad=True)
    labels = torch.zeros(50, dtype=torch.long)
    labels[:5] = -1
    loc_errors = torch.zeros(0, requires_grad=True)
    loss_cls, loss_loc, stats = alrp_loss(logits, labels, loc_errors,
                                          return_stats=True)
    assert loss_cls.item() == 0 and loss_loc.item() == 0
    (loss_cls + loss_loc).backward()
    assert torch.equal(logits.grad, torch.zeros(50))
    assert stats.num_pos == 0 and stats.grad_balance == 1.0


def test_one_positive():
    logits = torch.tensor([0.0, 0.2, -0.4, 2.0], requires_grad=True)
    labels = torch.tensor([1, 0, 0, 0])
    loss_cls, loss_loc = alrp_loss(logits, labels, torch.tensor([0.5]))
    # N_FP = H(0.2) + H(-0.4) + H(2) = 0.6 + 0.3 + 1, rank = 2.9
    assert loss_cls.item() == pytest.approx(1.9 / 2.9)
    assert loss_loc.item() == pytest.approx(0.5 / 2.9)
    loss_cls.backward()
    assert logits.grad[0].item() == pytest.approx(-1.9 / 2.9)
    expected_neg = torch.tensor([0.6, 0.3, 1.0]) / 1.9 * (1.9 / 2.9)
    torch.testing.assert_close(logits.grad[1:], expected_neg)


def test_all_negatives_far_below():
    logits = torch.cat([torch.tensor([1.0, 2.0]), torch.full((100, ), -5.)])
    logits.requires_grad_()
    labels = torch.cat([torch.ones(2, dtype=torch.long),
                        torch.zeros(100, dtype=torch.long)])
    loss_cls, loss_loc, stats = alrp_loss(logits, labels,
                                          torch.tensor([0.1, 0.3]),
                                          return_stats=True)
    loss_cls.backward()
    assert loss_cls.item() == 0 and stats.num_relevant_neg == 0
    assert (logits.grad == 0).all()
    # rank of the lower positive: 1 + H(1) = 2; it sees both errors
    assert loss_loc.item() == pytest.approx((0.3 / 1 + 0.4 / 2) / 2)


@pytest.mark.parametrize('dtype', [torch.float16, torch.bfloat16])
def test_half_precision_inputs(dtype):
    logits, labels, loc_errors, delta = random_case(11)
    low = logits.to(dtype).requires_grad_()
    low_errors = loc_errors.to(dtype).requires_grad_()
    loss_cls, loss_loc = alrp_loss(low, labels, low_errors, delta)
    assert loss_cls.dtype == torch.float32
    ref = brute_force.alrp(low.double(), labels, low_errors.double(), delta)
    assert loss_cls.item() == pytest.approx(ref['loss_cls'].item(), rel=1e-5)
    assert loss_loc.item() == pytest.approx(ref['loss_loc'].item(), rel=1e-3)
    (loss_cls + loss_loc).backward()
    assert low.grad.dtype == dtype and low_errors.grad.dtype == dtype
    assert torch.isfinite(low.grad.float()).all()
    torch.testing.assert_close(low.grad.double(), ref['grad_logits'],
                               rtol=2e-2, atol=1e-3)


def test_extreme_logits():
    logits = torch.tensor([1e4, -1e4, 1e4 - 0.5, 1e4, -1e4, 3.0],
                          requires_grad=True)
    labels = torch.tensor([1, 1, 0, 0, 0, 0])
    loc_errors = torch.tensor([0.2, 0.9])
    loss_cls, loss_loc = alrp_loss(logits, labels, loc_errors)
    loss_cls.backward()
    ref = brute_force.alrp(logits, labels, loc_errors, 1.0)
    assert torch.isfinite(logits.grad).all()
    assert loss_cls.item() == pytest.approx(ref['loss_cls'].item(), rel=1e-6)
    assert loss_loc.item() == pytest.approx(ref['loss_loc'].item(), rel=1e-6)
    torch.testing.assert_close(logits.grad.double(), ref['grad_logits'],
                               rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize('make_input, error, match', [
    (lambda s, y, e: (s.new_tensor([0., float('nan'), 1.]), y, e),
     ValueError, 'NaN or infinite'),
    (lambda s, y, e: (s.new_tensor([0., float('inf'), 1.]), y, e),
     ValueError, 'NaN or infinite'),
    (lambda s, y, e: (s, y[:2], e), ValueError, 'does not match'),
    (lambda s, y, e: (s[None], y[None], e), ValueError, '1-D'),
    (lambda s, y, e: (s, y.float(), e), TypeError, 'integer'),
    (lambda s, y, e: (s.long(), y, e), TypeError, 'floating-point'),
    (lambda s, y, e: (s, y.new_tensor([1, 0, 2]), e), ValueError,
     r'-1 \(ignored\)'),
    (lambda s, y, e: (s, y, e.new_tensor([0.1, 0.2])), ValueError,
     r'one entry per positive \(1\)'),
    (lambda s, y, e: (s, y, e.new_tensor([1.5])), ValueError, r'\[0, 1\]'),
    (lambda s, y, e: (s, y, e.new_tensor([-0.2])), ValueError, r'\[0, 1\]'),
    (lambda s, y, e: (s, y, e.new_tensor([float('nan')])), ValueError,
     'NaN or infinite'),
    (lambda s, y, e: (s.new_tensor([0., 7e4, 1.]), y, e), ValueError,
     'diverged'),
])
def test_bad_input_raises(make_input, error, match):
    logits = torch.tensor([0.5, -0.5, 1.0])
    labels = torch.tensor([1, 0, -1])
    loc_errors = torch.tensor([0.3])
    with pytest.raises(error, match=match):
        alrp_loss(*make_input(logits, labels, loc_errors))


@pytest.mark.parametrize('delta', [0.0, -1.0, float('nan'), float('inf')])
def test_bad_delta_raises(delta):
    with pytest.raises(ValueError, match='delta'):
        alrp_loss(torch.zeros(2), torch.tensor([1, 0]), torch.zeros(1),
                  delta=delta)


def test_module_is_registered_and_matches_function():
    module = MODELS.build(dict(type='ALRPLoss', delta=0.5, use_sigmoid=True))
    assert isinstance(module, ALRPLoss) and module.use_sigmoid
    logits, labels, loc_errors, _ = random_case(3)
    output = module(logits, labels, loc_errors)
    want = alrp_loss(logits, labels, loc_errors, 0.5)
    assert output.losses['loss_cls'].item() == want[0].item()
    assert output.losses['loss_bbox'].item() == pytest.approx(
        50 * want[1].item(), rel=1e-6)
    assert output.diagnostics['sb_weight'] == 50.0
    assert output.stats.num_pos == int((labels == 1).sum())
    with pytest.raises(ValueError, match='use_sigmoid'):
        ALRPLoss(use_sigmoid=False)


def edge_case(magnitude, delta, num_pos=6):
    """float32 logits near ``magnitude`` with negatives on the float32
    values next to every positive's window edges s_i -/+ delta, where a
    float32 edge rounded to nearest would bucket them on the wrong side."""
    gen = torch.Generator().manual_seed(int(magnitude) % 1000)
    pos = (magnitude + torch.rand(num_pos, generator=gen,
                                  dtype=torch.float64) * 3).float()
    edges = torch.cat([pos.double() - delta, pos.double() + delta])
    near = edges.float()
    negatives = torch.cat([near, torch.nextafter(near, near + 1),
                           torch.nextafter(near, near - 1),
                           (magnitude + torch.randn(200, generator=gen) * 3)])
    logits = torch.cat([pos, negatives.float()])
    labels = torch.zeros(len(logits), dtype=torch.long)
    labels[:num_pos] = 1
    loc_errors = torch.rand(num_pos, generator=gen)
    return logits, labels, loc_errors


@pytest.mark.parametrize('magnitude, delta', [(3.0, 1.0), (6e4, 1.0),
                                              (3e3, 0.3), (-1.5e4, 0.3)])
def test_float32_is_exact_at_any_accepted_magnitude(magnitude, delta):
    # with delta 0.3 the edges s -/+ delta are not float32 numbers
    logits, labels, loc_errors = edge_case(magnitude, delta)
    logits.requires_grad_()
    ref = brute_force.alrp(logits, labels, loc_errors, delta)
    loss_cls, loss_loc, stats = alrp_loss(logits, labels, loc_errors, delta,
                                          return_stats=True)
    assert loss_cls.item() == pytest.approx(ref['loss_cls'].item(), rel=1e-6)
    assert loss_loc.item() == pytest.approx(ref['loss_loc'].item(), rel=1e-6)
    loss_cls.backward()
    torch.testing.assert_close(logits.grad.double(), ref['grad_logits'],
                               rtol=1e-5, atol=1e-7)
    assert stats.grad_balance == pytest.approx(1.0, rel=1e-5)


@pytest.mark.parametrize('value', [1.7e7, -1e20, 65536.5])
def test_logits_beyond_the_exact_range_are_refused(value):
    # 50 equal logits: float64 gives 22 / 25.5 = 0.8627 at any magnitude;
    # float32 edges rounded to nearest used to give 0 and no gradient
    labels = torch.zeros(50, dtype=torch.long)
    labels[:6] = 1
    with pytest.raises(ValueError, match=r'exact only up to 65536 \* delta'):
        alrp_loss(torch.full((50, ), value), labels, torch.full((6, ), 0.5))
    loss_cls, _ = alrp_loss(torch.full((50, ), 6e4), labels,
                            torch.full((6, ), 0.5))
    assert loss_cls.item() == pytest.approx(22 / 25.5, rel=1e-7)


@pytest.mark.parametrize('kwargs, match', [
    (dict(sb_init=float('inf')), 'sb_init'),
    (dict(sb_init=float('nan')), 'sb_init'),
    (dict(sb_init=0.0), 'sb_init'),
    (dict(delta=float('inf')), 'delta'),
    (dict(delta='1'), 'delta'),
])
def test_numeric_arguments_are_checked_when_built(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ALRPLoss(**kwargs)
