import pytest
import torch

from alrp_mmdet.models.losses import APLoss, ap_loss
from mmdet.registry import MODELS
from . import brute_force
from ...helpers.ranking_cases import random_case

TOY_SCORES = torch.arange(10, 0, -1, dtype=torch.float64) / 10
TOY_LABELS = torch.tensor([1, 0, 1, 0, 0, 1, 0, 0, 0, 1])


def test_toy_example_matches_paper():
    # Fig. 1(c): precisions 1, 2/3, 1/2, 2/5 -> AP Loss 0.3583 (0.36)
    loss = ap_loss(20 * TOY_SCORES, TOY_LABELS)
    assert loss.item() == pytest.approx(1 - (1 + 2 / 3 + 1 / 2 + 2 / 5) / 4)
    assert round(loss.item(), 2) == 0.36


def test_interpolated_toy_example():
    # a lower-ranked positive with higher precision lifts those above it
    logits = torch.tensor([4.0, 2.0, 0.0, -2.0, -4.0, -6.0],
                          dtype=torch.float64)
    labels = torch.tensor([0, 1, 0, 1, 1, 0])
    # precisions 1/2, 2/4, 3/5 -> interpolated 3/5, 3/5, 3/5
    assert ap_loss(logits, labels).item() == pytest.approx(
        1 - (1 / 2 + 2 / 4 + 3 / 5) / 3)
    assert ap_loss(logits, labels, interpolated=True).item() == \
        pytest.approx(1 - 3 / 5)


@pytest.mark.parametrize('interpolated', [False, True])
@pytest.mark.parametrize('seed', range(60))
def test_matches_brute_force(seed, interpolated):
    logits, labels, _, delta = random_case(seed)
    logits.requires_grad_()
    ref = brute_force.ap(logits, labels, delta, interpolated)
    loss = ap_loss(logits, labels, delta, interpolated)
    torch.testing.assert_close(loss, ref['loss'], rtol=1e-6, atol=1e-12)
    loss.backward()
    torch.testing.assert_close(logits.grad, ref['grad_logits'], rtol=1e-6,
                               atol=1e-12)


@pytest.mark.parametrize('interpolated', [False, True])
@pytest.mark.parametrize('seed', range(20))
def test_balanced_and_gradient_sum_equals_loss(seed, interpolated):
    # Theorem 2, and App. F.2: with target 0, sum_P |grad| equals the loss
    logits, labels, _, delta = random_case(seed)
    logits.requires_grad_()
    loss, stats = ap_loss(logits, labels, delta, interpolated,
                          return_stats=True)
    loss.backward()
    pos = logits.grad[labels == 1].abs().sum()
    neg = logits.grad[labels == 0].abs().sum()
    assert neg.item() == pytest.approx(pos.item(), rel=1e-9, abs=1e-12)
    assert stats.grad_balance == pytest.approx(1.0, rel=1e-9)
    assert pos.item() == pytest.approx(loss.item(), rel=1e-9, abs=1e-12)


def test_module_is_registered():
    module = MODELS.build(dict(type='APLoss', interpolated=True,
                               loss_weight=2.0))
    assert isinstance(module, APLoss) and module.use_sigmoid
    logits, labels, _, _ = random_case(5)
    output = module(logits, labels)
    loss, stats = output.losses['loss_cls'], output.stats
    assert loss.item() == pytest.approx(
        2 * ap_loss(logits, labels, interpolated=True).item())
    assert stats.num_pos == int((labels == 1).sum())
    with pytest.raises(ValueError, match='use_sigmoid'):
        APLoss(use_sigmoid=False)


@pytest.mark.parametrize('kwargs, match', [
    (dict(loss_weight=float('nan')), 'loss_weight'),
    (dict(loss_weight=0.0), 'loss_weight'),
    (dict(delta=float('inf')), 'delta'),
    (dict(delta=-1.0), 'delta'),
    (dict(delta=True), r'delta must be .* in \[0.01, 100\]'),
    (dict(delta=1e-8), r'delta must be .* in \[0.01, 100\]'),
    # a string would read as True
    (dict(interpolated='no'), 'interpolated must be True or False'),
    (dict(interpolated=1), 'interpolated must be True or False'),
])
def test_numeric_arguments_are_checked_when_built(kwargs, match):
    with pytest.raises(ValueError, match=match):
        APLoss(**kwargs)
