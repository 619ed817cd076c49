import weakref

import torch
from mmengine.config import Config
from torch.nn.parallel import DistributedDataParallel

from alrp_mmdet.utils import launch


def test_cpu_launcher_wraps_with_mmengines_defaults(monkeypatch):
    monkeypatch.setattr(launch.torch_dist, 'is_initialized', lambda: True)
    cfg = Config(dict(find_unused_parameters=True))
    launch.setup_cpu_distributed(cfg)
    assert cfg.model_wrapper_cfg == dict(
        type='MMDistributedDataParallel', broadcast_buffers=False,
        find_unused_parameters=True, device_ids=None)
    assert cfg.env_cfg.dist_cfg.backend == 'gloo'
    own = Config(dict(model_wrapper_cfg=dict(
        type='MMDistributedDataParallel', broadcast_buffers=True)))
    launch.setup_cpu_distributed(own)
    assert own.model_wrapper_cfg == dict(
        type='MMDistributedDataParallel', broadcast_buffers=True,
        device_ids=None)


def test_score_threshold_check_is_added_unless_the_config_sets_it():
    cfg = Config(dict(default_hooks=dict(logger=dict(type='LoggerHook'))))
    launch.add_score_threshold_check(cfg)
    assert cfg.default_hooks == dict(
        logger=dict(type='LoggerHook'),
        score_threshold_check=dict(type='ScoreThresholdCheckHook'))
    # None switches it off: the key goes, as mmengine's Runner refuses None
    # for a hook that is not one of its defaults
    off = Config(dict(default_hooks=dict(score_threshold_check=None)))
    launch.add_score_threshold_check(off)
    assert off.default_hooks == dict()


class _RunnerLike:
    """Holds a DDP-wrapped model in a reference cycle, as mmengine's runner
    does (its hooks and loops point back at it)."""

    def __init__(self):
        self.model = DistributedDataParallel(torch.nn.Linear(2, 2))
        self.loop_owner = self


def test_shut_down_frees_the_process_group_before_exit(tmp_path):
    launch.torch_dist.init_process_group(
        'gloo', init_method=f'file://{tmp_path / "store"}', rank=0,
        world_size=1)
    try:
        runner = _RunnerLike()
        group = weakref.ref(launch.torch_dist.group.WORLD)
        del runner
        assert group() is not None  # the cycle keeps the wrapper alive
        launch.shut_down_distributed()
        assert not launch.torch_dist.is_initialized()
        # freed now, gloo's threads joined, not at the interpreter's exit
        assert group() is None
    finally:
        if launch.torch_dist.is_initialized():
            launch.torch_dist.destroy_process_group()
    launch.shut_down_distributed()  # without a group: nothing to do
