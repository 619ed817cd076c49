from mmengine.config import Config

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
