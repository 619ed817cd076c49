"""The one output type of the three loss modules and their loss_weight."""
import pytest
import torch

from alrp_mmdet.models.losses import (ALRPLoss, APLoss, RankingLossOutput,
                                      RankingStats, RankSortLoss)
from ...helpers.ranking_cases import random_case

MODULES = {
    'ALRPLoss': (ALRPLoss, ['loss_cls', 'loss_bbox'],
                 ['sb_weight', 'empty_batches']),
    'APLoss': (APLoss, ['loss_cls'], []),
    'RankSortLoss': (RankSortLoss, ['loss_rank', 'loss_sort'], []),
}


def call(module, seed=3):
    logits, labels, per_positive, _ = random_case(seed)
    logits = logits.clone().requires_grad_()
    args = (logits, labels) if isinstance(module, APLoss) else \
        (logits, labels, per_positive)
    return module(*args), logits


@pytest.mark.parametrize('name', sorted(MODULES))
def test_every_module_returns_its_losses_and_stats_in_one_type(name):
    module_type, loss_keys, diagnostic_keys = MODULES[name]
    output, _ = call(module_type().train())
    assert isinstance(output, RankingLossOutput)
    assert list(output.losses) == loss_keys
    assert list(output.diagnostics) == diagnostic_keys
    losses = output.to_dict()
    assert list(losses) == loss_keys + diagnostic_keys + [
        'grad_balance', 'num_pos']
    assert [key for key in losses if 'loss' in key] == loss_keys
    assert losses['num_pos'].dtype == torch.float32
    assert losses['num_pos'].item() == output.stats.num_pos > 0


@pytest.mark.parametrize('name', sorted(MODULES))
def test_loss_weight_scales_every_loss_and_its_gradient(name):
    module_type = MODULES[name][0]
    plain, plain_logits = call(module_type().train())
    weighted, weighted_logits = call(module_type(loss_weight=2.5).train())
    for key, value in plain.losses.items():
        assert weighted.losses[key].item() == pytest.approx(
            2.5 * value.item(), rel=1e-12)
    sum(plain.losses.values()).backward()
    sum(weighted.losses.values()).backward()
    assert torch.allclose(weighted_logits.grad, 2.5 * plain_logits.grad,
                          rtol=1e-12, atol=0)


def test_loss_weight_leaves_the_sb_ratio_alone():
    # SB is a ratio of the unweighted aLRP and localisation losses
    weights = []
    for loss_weight in (1.0, 4.0):
        module = ALRPLoss(loss_weight=loss_weight).train()
        for seed in range(3):
            call(module, seed)
        module.update_sb_weight()
        weights.append(float(module.sb_weight))
    assert weights[0] != 50.0 and weights[0] == weights[1]


@pytest.mark.parametrize('name', sorted(MODULES))
@pytest.mark.parametrize('bad', [0.0, -1.0, float('nan'), float('inf'), '2'])
def test_a_bad_loss_weight_is_refused(name, bad):
    with pytest.raises(ValueError, match=f'{name}: loss_weight must be a '
                       'finite positive number'):
        MODULES[name][0](loss_weight=bad)


def test_to_dict_puts_a_heads_entries_after_the_modules_losses():
    output = RankingLossOutput(
        losses=dict(loss_rank=torch.tensor(0.25), loss_sort=torch.tensor(.5)),
        stats=RankingStats(num_pos=3, num_relevant_neg=7, grad_balance=1.0))
    losses = output.to_dict(loss_bbox=torch.tensor(0.75),
                            bbox_weight=torch.tensor(1.0))
    assert list(losses) == ['loss_rank', 'loss_sort', 'loss_bbox',
                            'bbox_weight', 'grad_balance', 'num_pos']
    assert losses['num_pos'].item() == 3.0
