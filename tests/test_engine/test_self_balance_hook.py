import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub, MMLogger
from torch import nn

from alrp_mmdet.engine.hooks import SelfBalanceHook
from alrp_mmdet.models.losses import ALRPLoss
from ..conftest import DEMO_CONFIG, TRAIN, TRAIN_OVERRIDES, run_tool


def fake_runner(*losses):
    model = nn.ModuleDict(
        {f'head{i}': nn.ModuleDict(dict(loss_cls=loss))
         for i, loss in enumerate(losses)})
    return SimpleNamespace(model=model, iter=0,
                           logger=MMLogger.get_instance('sb_test'),
                           message_hub=MessageHub.get_instance('sb_test'))


def batch(seed, num_pos=5):
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(200, generator=gen)
    labels = torch.zeros(200, dtype=torch.long)
    labels[:num_pos] = 1
    return logits, labels, torch.rand(num_pos, generator=gen)


def test_epoch_end_sets_ratio_of_epoch_means():
    loss = ALRPLoss().train()
    runner = fake_runner(loss)
    hook = SelfBalanceHook()
    hook.before_train(runner)
    totals, locs = [], []
    for seed in range(4):
        loss_cls, loss_loc, _ = loss(*batch(seed))
        totals.append((loss_cls + loss_loc).item())
        locs.append(loss_loc.item())
    loss(*batch(9, num_pos=0))  # an iteration without positives: not counted
    assert loss.sb_weight.item() == 50.0
    hook.after_train_epoch(runner)
    expected = (sum(totals) / 4) / (sum(locs) / 4)
    assert loss.sb_weight.item() == pytest.approx(expected, rel=1e-9)
    assert loss.epoch_sums.tolist() == [0, 0, 0]
    assert loss.num_empty_batches.item() == 1
    name = 'head0.loss_cls'
    assert runner.message_hub.get_info(f'sb_weight/{name}') == \
        pytest.approx(expected)


def test_every_loss_has_its_own_weight_and_eval_does_not_count():
    first, second = ALRPLoss().train(), ALRPLoss(sb_init=10.0).train()
    runner = fake_runner(first, second)
    hook = SelfBalanceHook()
    hook.before_train(runner)
    first(*batch(0))
    second(*batch(1))
    second.eval()
    second(*batch(2))
    hook.after_train_epoch(runner)
    assert first.sb_weight.item() != second.sb_weight.item()
    assert first.sb_weight.item() != 50.0


def test_fixed_weight_and_interval_modes():
    loss = ALRPLoss().train()
    runner = fake_runner(loss)
    fixed = SelfBalanceHook(fixed_weight=10.0)
    fixed.before_train(runner)
    loss(*batch(0))
    fixed.after_train_epoch(runner)
    assert loss.sb_weight.item() == 10.0
    by_iter = SelfBalanceHook(interval=2)
    loss(*batch(1))
    by_iter.after_train_epoch(runner)
    assert loss.sb_weight.item() == 10.0  # epoch ends do nothing
    runner.iter = 1  # the second iteration ends
    by_iter.after_train_iter(runner, 1)
    assert loss.sb_weight.item() != 10.0


def test_needs_an_alrp_loss():
    with pytest.raises(RuntimeError, match='no ALRPLoss'):
        SelfBalanceHook().before_train(fake_runner())
    with pytest.raises(ValueError, match='interval'):
        SelfBalanceHook(interval=0)


def sb_weight_in(path):
    state = torch.load(path, map_location='cpu', weights_only=False)
    return state['state_dict']['bbox_head.loss_cls.sb_weight'].item()


def test_weight_survives_save_and_resume(synthetic_root, tmp_path):
    work_dir = str(tmp_path / 'work')
    args = [TRAIN, DEMO_CONFIG, '--work-dir', work_dir, '--cfg-options'
            ] + TRAIN_OVERRIDES
    run_tool(args + ['train_cfg.max_epochs=1'], synthetic_root)
    after_one = sb_weight_in(osp.join(work_dir, 'epoch_1.pth'))
    assert after_one != 50.0
    resumed = run_tool(args + ['train_cfg.max_epochs=2', '--resume'],
                       synthetic_root)
    assert 'resumed epoch: 1' in resumed
    assert (f'bbox_head.loss_cls starts with SB weight {after_one:.4f}'
            in resumed)
    after_two = sb_weight_in(osp.join(work_dir, 'epoch_2.pth'))
    assert after_two != after_one


PROBE = """
from mmengine.hooks import Hook
from mmengine.dist import get_rank
from mmdet.registry import HOOKS


@HOOKS.register_module()
class RankProbeHook(Hook):
    priority = 'LOW'  # after SelfBalanceHook

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        loss = runner.model.module.bbox_head.loss_cls
        self.local_sum = float(loss.epoch_sums[0])

    def after_train_epoch(self, runner):
        loss = runner.model.module.bbox_head.loss_cls
        with open(f'rank{get_rank()}_epoch{runner.epoch}.txt', 'w') as f:
            f.write(f'{float(loss.sb_weight)!r} {self.local_sum!r}')
"""


def test_weight_matches_across_ranks_in_gloo_run(synthetic_root, tmp_path):
    (synthetic_root / 'rank_probe.py').write_text(PROBE)
    config = tmp_path / 'probe_config.py'
    config.write_text(
        f"_base_ = '{DEMO_CONFIG}'\n"
        "custom_imports = dict(imports=['alrp_mmdet', 'rank_probe'],\n"
        "                      allow_failed_imports=False)\n"
        "custom_hooks = [dict(type='SelfBalanceHook'),\n"
        "                dict(type='RankProbeHook')]\n")
    output = run_tool([TRAIN, str(config), '--work-dir',
                       str(tmp_path / 'work'), '--launcher', 'pytorch',
                       '--cfg-options'] + TRAIN_OVERRIDES +
                      ['train_cfg.max_epochs=2'], synthetic_root, nproc=2)
    assert 'Distributed training: True' in output
    for epoch in range(2):
        ranks = [(synthetic_root / f'rank{r}_epoch{epoch}.txt').read_text()
                 for r in range(2)]
        (w0, sum0), (w1, sum1) = [map(float, r.split()) for r in ranks]
        assert sum0 != sum1  # each rank saw its own half of the data
        assert w0 == w1 != 50.0  # but both hold the all-reduced weight
