import json
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub, MMLogger
from mmengine.runner import EpochBasedTrainLoop, IterBasedTrainLoop
from torch import nn

from alrp_mmdet.engine.hooks import SelfBalanceHook
from alrp_mmdet.models.losses import ALRPLoss, alrp_loss
from ..conftest import DEMO_CONFIG, TRAIN, TRAIN_OVERRIDES, run_tool


def fake_runner(*losses, loop=EpochBasedTrainLoop):
    model = nn.ModuleDict(
        {f'head{i}': nn.ModuleDict(dict(loss_cls=loss))
         for i, loss in enumerate(losses)})
    return SimpleNamespace(model=model, iter=0, hooks=[],
                           train_loop=object.__new__(loop),
                           logger=MMLogger.get_instance('sb_test'),
                           message_hub=MessageHub.get_instance('sb_test'))


def batch(seed, num_pos=5):
    gen = torch.Generator().manual_seed(seed)
    logits = torch.randn(200, generator=gen)
    labels = torch.zeros(200, dtype=torch.long)
    labels[:num_pos] = 1
    return logits, labels, torch.rand(num_pos, generator=gen)


def terms(seed, num_pos=5):
    """(L_aLRP, L_loc) of one batch from the functional loss."""
    loss_cls, loss_loc = alrp_loss(*batch(seed, num_pos))
    return (loss_cls + loss_loc).item(), loss_loc.item()


def test_epoch_end_sets_ratio_of_epoch_means():
    loss = ALRPLoss().train()
    runner = fake_runner(loss)
    hook = SelfBalanceHook()
    hook.before_train(runner)
    for seed in range(4):
        output = loss(*batch(seed))
        assert output.diagnostics['sb_weight'] == 50.0
        assert output.losses['loss_bbox'].item() == pytest.approx(
            50 * terms(seed)[1], rel=1e-6)
        hook.after_train_iter(runner, seed)
    loss(*batch(9, num_pos=0))  # an iteration without positives: not counted
    hook.after_train_iter(runner, 4)
    assert loss.sb_weight.item() == 50.0
    hook.after_train_epoch(runner)
    totals, locs = zip(*[terms(seed) for seed in range(4)])
    expected = (sum(totals) / 4) / (sum(locs) / 4)
    assert loss.sb_weight.item() == pytest.approx(expected, rel=1e-6)
    assert loss.epoch_sums.tolist() == [0, 0, 0]
    assert loss.num_empty_batches.item() == 1
    name = 'head0.loss_cls'
    assert runner.message_hub.get_info(f'sb_weight/{name}') == \
        pytest.approx(expected)


def test_a_batch_of_several_rankings_without_positives_counts_once():
    # a DETR head ranks each decoder layer, the proposals and the denoising
    # queries of a batch: 5 calls here, of which none or all have positives
    loss = ALRPLoss().train()
    runner = fake_runner(loss)
    hook = SelfBalanceHook()
    hook.before_train(runner)
    for iteration, num_pos in enumerate([0, 3, 0]):
        for call in range(5):
            output = loss(*batch(10 * iteration + call, num_pos=num_pos))
        expected = 1 if iteration < 2 else 2
        assert output.diagnostics['empty_batches'] == expected
        hook.after_train_iter(runner, iteration)
        assert loss.num_empty_batches.item() == expected
    assert loss.epoch_sums[2].item() == 5  # rankings with positives


def test_every_loss_has_its_own_weight_and_eval_does_not_count():
    first, second = ALRPLoss().train(), ALRPLoss(sb_init=10.0).train()
    runner = fake_runner(first, second)
    hook = SelfBalanceHook()
    hook.before_train(runner)
    first(*batch(0))
    second(*batch(1))
    second.eval()
    second(*batch(2))  # validation: neither summed nor counted as empty
    second(*batch(3, num_pos=0))
    hook.after_train_epoch(runner)
    for loss, seed in ((first, 0), (second, 1)):
        total, loc = terms(seed)
        assert loss.sb_weight.item() == pytest.approx(total / loc, rel=1e-6)
    assert second.num_empty_batches.item() == 0


def test_fixed_weight_and_interval_modes():
    loss = ALRPLoss().train()
    runner = fake_runner(loss)
    fixed = SelfBalanceHook(fixed_weight=10.0)
    fixed.before_train(runner)
    assert loss(*batch(0)).losses['loss_bbox'].item() == pytest.approx(
        10 * terms(0)[1], rel=1e-6)
    fixed.after_train_epoch(runner)
    assert loss.sb_weight.item() == 10.0
    assert loss.epoch_sums.tolist() == [0, 0, 0]
    loss.sb_fixed = False
    by_iter = SelfBalanceHook(interval=2)
    loss(*batch(1))
    by_iter.after_train_iter(runner, 0)
    by_iter.after_train_epoch(runner)
    assert loss.sb_weight.item() == 10.0  # epoch ends do nothing
    loss(*batch(2))
    runner.iter = 1  # the second iteration ends
    by_iter.after_train_iter(runner, 1)
    (total1, loc1), (total2, loc2) = terms(1), terms(2)
    assert loss.sb_weight.item() == pytest.approx(
        (total1 + total2) / (loc1 + loc2), rel=1e-6)


@pytest.mark.parametrize('kwargs, match', [
    (dict(interval=0), 'interval'),
    (dict(interval=1.5), 'interval'),
    (dict(fixed_weight=0.0), 'fixed_weight'),
    (dict(fixed_weight=float('inf')), 'fixed_weight'),
    (dict(fixed_weight=float('nan')), 'fixed_weight'),
])
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SelfBalanceHook(**kwargs)


def test_needs_an_alrp_loss():
    with pytest.raises(RuntimeError, match='no ALRPLoss'):
        SelfBalanceHook().before_train(fake_runner())


def sb_weight_in(path):
    state = torch.load(path, map_location='cpu', weights_only=True)
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
import json
import os.path as osp

from mmengine.hooks import Hook
from mmengine.dist import get_rank
from mmengine.model import is_model_wrapper
from mmdet.registry import HOOKS


@HOOKS.register_module()
class RankProbeHook(Hook):
    priority = 'LOW'  # after SelfBalanceHook

    def before_train(self, runner):
        self.records = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.records.append({key: float(outputs[key]) for key in (
            'loss_cls', 'loss_bbox', 'sb_weight', 'num_pos')})

    def after_train_epoch(self, runner):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        loss = model.bbox_head.loss_cls
        name = f'rank{get_rank()}_epoch{runner.epoch}.json'
        with open(osp.join(runner.work_dir, name), 'w') as f:
            json.dump(dict(records=self.records,
                           start_iter=runner.iter - len(self.records),
                           sb_weight=float(loss.sb_weight),
                           empty=int(loss.num_empty_batches)), f)
        self.records = []
"""


def half_empty_annotations(root, out_file):
    """The train annotations with the objects of every second image removed:
    without shuffling, rank 1 of 2 sees only images without objects."""
    with open(root / 'data' / 'synthetic' / 'annotations' /
              'instances_train.json') as f:
        coco = json.load(f)
    empty = {img['id'] for img in coco['images'][1::2]}
    coco['annotations'] = [a for a in coco['annotations']
                           if a['image_id'] not in empty]
    with open(out_file, 'w') as f:
        json.dump(coco, f)


@pytest.mark.parametrize('base, wrapper', [
    ('alrp_atss_tiny_synthetic.py', None),
    ('alrp_atss_tiny_synthetic.py',
     dict(type='MMDistributedDataParallel', broadcast_buffers=True)),
    # RTMDet's ExpMomentumEMA averages every buffer of its copy
    ('alrp_rtmdet_tiny_synthetic.py', None),
])
def test_weight_is_the_all_rank_ratio_in_gloo_run(synthetic_root,
                                                  tmp_path, base, wrapper):
    (synthetic_root / 'rank_probe.py').write_text(PROBE)
    ann_file = tmp_path / 'half_empty.json'
    half_empty_annotations(synthetic_root, ann_file)
    config = tmp_path / 'probe_config.py'
    config.write_text(
        f"_base_ = '{osp.join(osp.dirname(DEMO_CONFIG), base)}'\n"
        "custom_imports = dict(imports=['alrp_mmdet', 'rank_probe'],\n"
        "                      allow_failed_imports=False)\n"
        "custom_hooks = _base_.custom_hooks + [dict(type='RankProbeHook')]\n"
        f"model_wrapper_cfg = {wrapper!r}\n")
    output = run_tool(
        [TRAIN, str(config), '--work-dir', str(tmp_path / 'work'),
         '--launcher', 'pytorch', '--cfg-options'] + TRAIN_OVERRIDES + [
             'train_cfg.max_epochs=2', 'train_cfg.val_interval=3',
             f'train_dataloader.dataset.ann_file={ann_file}',
             'train_dataloader.dataset.filter_cfg.filter_empty_gt=False',
             'train_dataloader.sampler.shuffle=False'
         ], synthetic_root, nproc=2)
    assert 'Distributed training: True' in output
    empty_so_far = 0
    for epoch in range(2):
        ranks = [json.loads((tmp_path / 'work' / f'rank{r}_epoch{epoch}.json'
                             ).read_text()) for r in range(2)]
        records = ranks[0]['records'] + ranks[1]['records']
        assert all(r['num_pos'] == 0 for r in ranks[1]['records'])
        assert all(r['num_pos'] > 0 for r in ranks[0]['records'])
        with_pos = [r for r in records if r['num_pos'] > 0]
        locs = [r['loss_bbox'] / r['sb_weight'] for r in with_pos]
        totals = [r['loss_cls'] + loc for r, loc in zip(with_pos, locs)]
        empty_so_far += len(records) - len(with_pos)
        for rank in ranks:  # every rank holds the all-rank values
            assert rank['sb_weight'] == pytest.approx(sum(totals) / sum(locs),
                                                      rel=1e-5)
            assert rank['empty'] == empty_so_far


def test_iteration_based_loop_without_interval_is_refused():
    # the weight would stay sb_init until training ends
    hook = SelfBalanceHook()
    with pytest.raises(ValueError, match=r"IterBasedTrainLoop.*dict\(type="
                       r"'SelfBalanceHook', interval=N\)"):
        hook.before_train(fake_runner(ALRPLoss(), loop=IterBasedTrainLoop))
    SelfBalanceHook(interval=10).before_train(
        fake_runner(ALRPLoss(), loop=IterBasedTrainLoop))


def test_training_without_the_hook_warns_once_in_a_running_loop(tmp_path):
    log_file = tmp_path / 'run.log'
    MMLogger.get_instance('no_sb_hook', log_file=str(log_file))
    hub = MessageHub.get_instance('no_sb_hook')
    loss = ALRPLoss(sb_init=50.0).train()
    loss(*batch(0))  # no running loop (no iteration): no warning
    hub.update_info('iter', 0)
    for seed in range(3):
        loss(*batch(seed))
    text = log_file.read_text()
    assert text.count('ALRPLoss is training without SelfBalanceHook') == 1
    assert "stays at 50 (sb_init)" in text
    assert "custom_hooks = [dict(type='SelfBalanceHook')]" in text
    attached = ALRPLoss().train()
    SelfBalanceHook().before_train(fake_runner(attached))
    attached(*batch(0))
    assert log_file.read_text().count('without SelfBalanceHook') == 1


KILL_HOOK = """
import os
import signal

from mmengine.hooks import Hook
from mmdet.registry import HOOKS


@HOOKS.register_module()
class KillAtIterationHook(Hook):
    def __init__(self, iteration):
        self.iteration = iteration

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        if runner.iter + 1 == self.iteration:
            os.kill(os.getpid(), signal.SIGKILL)
"""


def test_resume_after_a_kill_in_mid_epoch_counts_each_batch_once(
        synthetic_root, tmp_path):
    (synthetic_root / 'kill_hook.py').write_text(KILL_HOOK)
    (synthetic_root / 'rank_probe.py').write_text(PROBE)
    work_dir = tmp_path / 'work'

    def config(kill):
        path = tmp_path / f'config_{kill}.py'
        path.write_text(
            f"_base_ = '{DEMO_CONFIG}'\n"
            "custom_imports = dict(imports=['alrp_mmdet', 'kill_hook',\n"
            "                               'rank_probe'],\n"
            "                      allow_failed_imports=False)\n"
            "custom_hooks = [dict(type='SelfBalanceHook'),\n"
            "                dict(type='RankProbeHook')] + (\n"
            f"    [dict(type='KillAtIterationHook', iteration=5)] if {kill}\n"
            "    else [])\n"
            "default_hooks = dict(checkpoint=dict(by_epoch=False, "
            "interval=2))\n")
        return str(path)

    options = ['--work-dir', str(work_dir), '--cfg-options'
               ] + TRAIN_OVERRIDES[:2] + ['randomness.seed=0',
                                          'train_cfg.max_epochs=1',
                                          'train_cfg.val_interval=2']
    # 48 images of 8: 6 iterations; killed at iteration 5 after iter_4.pth
    run_tool([TRAIN, config(True)] + options, synthetic_root, succeed=False)
    assert sb_weight_in(work_dir / 'iter_4.pth') == 50.0
    partial = torch.load(work_dir / 'iter_4.pth', map_location='cpu',
                         weights_only=True)['state_dict'][
                             'bbox_head.loss_cls.epoch_sums']
    assert partial[2].item() == 4  # the checkpoint holds 4 batches' sums
    resumed = run_tool([TRAIN, config(False), '--resume'] + options,
                       synthetic_root)
    assert 'written within an epoch (4 rankings with positives in its SB ' \
        'sums)' in resumed
    probe = json.loads((work_dir / 'rank0_epoch0.json').read_text())
    # mmengine runs epoch 1 again from its first batch: 6 more iterations
    assert probe['start_iter'] == 4 and len(probe['records']) == 6
    with_pos = [r for r in probe['records'] if r['num_pos'] > 0]
    locs = [r['loss_bbox'] / r['sb_weight'] for r in with_pos]
    totals = [r['loss_cls'] + loc for r, loc in zip(with_pos, locs)]
    assert probe['sb_weight'] == pytest.approx(sum(totals) / sum(locs),
                                               rel=1e-5)


ALRP_RTMDET = osp.join(osp.dirname(DEMO_CONFIG),
                       'alrp_rtmdet_tiny_synthetic.py')


def test_ema_and_a_pipeline_switch_keep_the_exact_weight(synthetic_root,
                                                         tmp_path):
    # RTMDet's recipe: ExpMomentumEMA averaging every buffer (the averaged
    # copy is what checkpoints store as state_dict) and a train pipeline
    # switched after the first epoch
    (synthetic_root / 'rank_probe.py').write_text(PROBE)
    config = tmp_path / 'rtmdet_probe.py'
    config.write_text(
        f"_base_ = '{ALRP_RTMDET}'\n"
        "custom_imports = dict(imports=['alrp_mmdet', 'rank_probe'],\n"
        "                      allow_failed_imports=False)\n"
        "stage2 = [p for p in _base_.train_pipeline\n"
        "          if p['type'] != 'RandomFlip']\n"
        "custom_hooks = _base_.custom_hooks + [\n"
        "    dict(type='PipelineSwitchHook', switch_epoch=1,\n"
        "         switch_pipeline=stage2),\n"
        "    dict(type='RankProbeHook')]\n")
    work_dir = tmp_path / 'work'
    output = run_tool([TRAIN, str(config), '--work-dir', str(work_dir),
                       '--cfg-options'] + TRAIN_OVERRIDES +
                      ['train_cfg.max_epochs=2', 'train_cfg.val_interval=3',
                       'default_hooks.checkpoint.max_keep_ckpts=2'],
                      synthetic_root)
    assert 'Switch pipeline now!' in output
    for epoch in range(2):
        probe = json.loads((work_dir / f'rank0_epoch{epoch}.json'
                            ).read_text())
        with_pos = [r for r in probe['records'] if r['num_pos'] > 0]
        locs = [r['loss_bbox'] / r['sb_weight'] for r in with_pos]
        totals = [r['loss_cls'] + loc for r, loc in zip(with_pos, locs)]
        assert probe['sb_weight'] == pytest.approx(sum(totals) / sum(locs),
                                                   rel=1e-5)
        checkpoint = torch.load(work_dir / f'epoch_{epoch + 1}.pth',
                                map_location='cpu', weights_only=True)
        key = 'bbox_head.loss_cls.sb_weight'
        # state_dict holds the averaged model, ema_state_dict the trained
        # one (mmengine swaps them); both must hold the exact weight
        assert checkpoint['state_dict'][key].item() == probe['sb_weight']
        assert checkpoint['ema_state_dict'][f'module.{key}'].item() == \
            probe['sb_weight']
        assert checkpoint['state_dict']['backbone.conv1.weight'].ne(
            checkpoint['ema_state_dict']['module.backbone.conv1.weight']
        ).any()  # the weights themselves are averaged


DINO_PROBE = """
import json
import os.path as osp

from mmengine.hooks import Hook
from mmengine.dist import get_rank
from mmengine.model import is_model_wrapper
from mmdet.registry import HOOKS


def alrp_loss_of(runner):
    model = runner.model.module if is_model_wrapper(
        runner.model) else runner.model
    return model.bbox_head.loss_cls


@HOOKS.register_module()
class DinoRankProbeHook(Hook):
    priority = 'LOW'  # after SelfBalanceHook

    def before_train(self, runner):
        self.records = []

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        record = {key: float(value) for key, value in outputs.items()}
        record['sb_weight'] = float(alrp_loss_of(runner).sb_weight)
        self.records.append(record)

    def after_train_epoch(self, runner):
        loss = alrp_loss_of(runner)
        name = f'rank{get_rank()}_epoch{runner.epoch}.json'
        with open(osp.join(runner.work_dir, name), 'w') as f:
            json.dump(dict(records=self.records,
                           sb_weight=float(loss.sb_weight),
                           empty=int(loss.num_empty_batches)), f)
        self.records = []
"""
#: the rankings of one tiny-DINO iteration: 2 decoder layers, proposals,
#: and the denoising queries of each layer
DINO_RANKINGS = ['', 'd0.', 'enc_', 'dn_', 'd0.dn_']


@pytest.mark.parametrize('nproc', [None, 2])
def test_one_weight_for_every_dino_layer_is_the_pooled_ratio(
        synthetic_root, tmp_path, nproc):
    # every ranking of an iteration (each decoder layer, the proposals, the
    # denoising queries of each layer) calls the head's one ALRPLoss: the
    # epoch's weight is sum L_aLRP / sum L_loc over all of them, of every
    # rank; L_loc = loss_iou / SB and L_aLRP = loss_cls + L_loc per ranking
    (synthetic_root / 'dino_probe.py').write_text(DINO_PROBE)
    ann_file = tmp_path / 'half_empty.json'
    half_empty_annotations(synthetic_root, ann_file)
    config = tmp_path / 'dino_probe_config.py'
    config.write_text(
        "_base_ = '" + osp.join(osp.dirname(DEMO_CONFIG),
                                'alrp_dino_tiny_synthetic.py') + "'\n"
        "custom_imports = dict(imports=['alrp_mmdet', 'dino_probe'],\n"
        "                      allow_failed_imports=False)\n"
        "custom_hooks = _base_.custom_hooks + [\n"
        "    dict(type='DinoRankProbeHook')]\n")
    extra = [f'train_dataloader.dataset.ann_file={ann_file}',
             'train_dataloader.dataset.filter_cfg.filter_empty_gt=False',
             'train_dataloader.sampler.shuffle=False'] if nproc else []
    launcher = ['--launcher', 'pytorch'] if nproc else []
    run_tool([TRAIN, str(config), '--work-dir', str(tmp_path / 'work')] +
             launcher + ['--cfg-options'] + TRAIN_OVERRIDES +
             ['train_cfg.max_epochs=2', 'train_cfg.val_interval=3'] + extra,
             synthetic_root, nproc=nproc)
    weights = [50.0]
    empty_batches = 0
    for epoch in range(2):
        ranks = [json.loads((tmp_path / 'work' / f'rank{r}_epoch{epoch}.json'
                             ).read_text()) for r in range(nproc or 1)]
        # a batch without objects: no ranking of its iteration had a
        # positive (L_loc 0 in all five); counted once, on every rank
        empty_batches += sum(
            all(record[f'{ranking}loss_iou'] == 0
                for ranking in DINO_RANKINGS)
            for rank in ranks for record in rank['records'])
        assert [rank['empty'] for rank in ranks] == \
            [empty_batches] * len(ranks)
        totals, locs = 0.0, 0.0
        for record in ranks[0]['records'] + ranks[-1]['records'] * (
                nproc == 2):
            assert record['sb_weight'] == pytest.approx(weights[-1])
            for ranking in DINO_RANKINGS:
                loc = record[f'{ranking}loss_iou'] / record['sb_weight']
                locs += loc
                totals += record[f'{ranking}loss_cls'] + loc
        weights.append(totals / locs)
        for rank in ranks:  # the all-rank value on every rank
            assert rank['sb_weight'] == pytest.approx(weights[-1], rel=1e-5)
        if nproc:  # rank 1 saw only images without objects
            assert all(record[f'{ranking}loss_iou'] == 0
                       for record in ranks[1]['records']
                       for ranking in DINO_RANKINGS)
            assert ranks[1]['empty'] > 0
    assert weights[1] != weights[2]
