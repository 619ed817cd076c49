"""Launch helpers shared by tools/train.py and tools/test.py."""
import gc
import os

import torch
import torch.distributed as torch_dist
from mmengine.config import Config, DictAction

from .data_config import check_data_settings


def add_common_args(parser) -> None:
    """mmdet's --work-dir, --cfg-options, --launcher and --local-rank."""
    parser.add_argument('--work-dir',
                        help='where logs and checkpoints go (default: '
                        './work_dirs/<config name>)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config entries, e.g. model.bbox_head.num_classes=3')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def load_config(args) -> Config:
    """Read the config, apply the common arguments and
    :func:`complete_config`, and prepare the process: distributed runs
    without CUDA use the gloo backend on CPU."""
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    complete_config(cfg)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        name = os.path.splitext(os.path.basename(args.config))[0]
        cfg.work_dir = os.path.join('./work_dirs', name)
    if args.launcher != 'none' and not torch.cuda.is_available():
        setup_cpu_distributed(cfg)
    return cfg


def complete_config(cfg: Config) -> None:
    """What every tool does to a loaded config: refuse data settings that
    do not reach the dataloaders (:func:`check_data_settings`) and add the
    score threshold check (:func:`add_score_threshold_check`)."""
    check_data_settings(cfg)
    add_score_threshold_check(cfg)


def add_score_threshold_check(cfg: Config) -> None:
    """Add :class:`~alrp_mmdet.engine.ScoreThresholdCheckHook` as
    ``default_hooks.score_threshold_check`` unless the config sets that key;
    ``None`` switches it off (the key is then removed: mmengine accepts
    ``None`` only for its own default hooks)."""
    hooks = cfg.get('default_hooks') or {}
    if 'score_threshold_check' not in hooks:
        hooks['score_threshold_check'] = dict(type='ScoreThresholdCheckHook')
    elif hooks['score_threshold_check'] is None:
        hooks.pop('score_threshold_check')
    cfg.default_hooks = hooks


def shut_down_distributed() -> None:
    """Destroy the process group at the end of a tool's run, if there is
    one, while the interpreter is still whole; call it after dropping the
    runner. A collection first frees what the runner left in reference
    cycles (its DDP wrapper holds the group), a second one what destroying
    the group released, so that gloo's threads are joined before exit. Left
    to the interpreter's exit, about 1 in 20 two-process CPU runs had a rank
    abort after its work was done ("terminate called without an active
    exception"). Without a process group it does nothing: collecting the
    runner would shut its persistent dataloader workers down one 5-second
    join timeout at a time (15 s at the end of a run of the own-data
    configs), where the interpreter's exit ends them at once."""
    if not (torch_dist.is_available() and torch_dist.is_initialized()):
        return
    gc.collect()
    torch_dist.destroy_process_group()
    gc.collect()


def setup_cpu_distributed(cfg: Config) -> None:
    """mmengine's launcher calls torch.cuda.set_device and wraps the model
    with device_ids=[LOCAL_RANK]; without CUDA, start the gloo process group
    here (so mmengine skips its own) and wrap without device ids. Without a
    ``model_wrapper_cfg`` the wrapper gets mmengine's own defaults
    (``broadcast_buffers=False``, ``find_unused_parameters`` from the
    config)."""
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo')
    wrapper = cfg.get('model_wrapper_cfg') or dict(
        type='MMDistributedDataParallel',
        broadcast_buffers=False,
        find_unused_parameters=cfg.get('find_unused_parameters', False))
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    env_cfg = cfg.get('env_cfg') or {}
    env_cfg['dist_cfg'] = dict(env_cfg.get('dist_cfg') or {}, backend='gloo')
    cfg.env_cfg = env_cfg
