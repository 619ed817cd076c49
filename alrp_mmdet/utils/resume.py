"""Refuse to resume a run of another detector or loss.

``--resume`` continues the run that wrote the checkpoint: its weights, its
optimiser state and its schedule. A checkpoint of Rank & Sort Loss resumed
into an aLRP config stops in ``optimizer.load_state_dict`` with "loaded
state dict contains a parameter group that doesn't match the size of
optimizer's group", which names neither; where the parameters happen to
match it would continue with the other loss without a word.
:func:`check_resume` compares the head and loss types of the checkpoint's
config (the ``meta.cfg`` text mmengine saves, read as text: it is never
executed) with the config's and names both.
"""
import os.path as osp
import re
from typing import Optional, Set

import torch
from mmengine.config import Config
from mmengine.runner import find_latest_checkpoint

#: a head or loss type in the text of a saved config
SAVED_TYPE = re.compile(r"""type=['"](\w+(?:Head|Loss))['"]""")
#: the ``model = ...`` assignment of a saved config's text, up to the next
#: top-level assignment (mmengine writes each one from a line's start)
SAVED_MODEL = re.compile(r'^model = (.*?)(?=^\w+ = |\Z)', re.S | re.M)


class ResumeMismatchError(ValueError):
    """The checkpoint to resume was trained with other heads or losses."""


def model_types(model_cfg) -> Set[str]:
    """The head and loss types named anywhere in a model config."""
    if isinstance(model_cfg, dict):
        own = model_cfg.get('type')
        found = {own} if isinstance(own, str) and \
            own.endswith(('Head', 'Loss')) else set()
        for value in model_cfg.values():
            found |= model_types(value)
        return found
    if isinstance(model_cfg, (list, tuple)):
        return set().union(*(model_types(value) for value in model_cfg))
    return set()


def saved_model_types(text: str) -> Set[str]:
    """The head and loss types of the model in a saved config's text. Only
    the ``model`` assignment counts: the text also holds the top-level
    variables of its bases (``rs_mask_rcnn`` of the RS heads file, say),
    which the model need not use."""
    model = SAVED_MODEL.search(text)
    return set(SAVED_TYPE.findall(model.group(1))) if model else set()


def checkpoint_to_resume(cfg: Config) -> Optional[str]:
    """The file ``--resume`` loads: ``load_from``, else the work dir's
    latest checkpoint."""
    return cfg.get('load_from') or find_latest_checkpoint(cfg.work_dir)


def check_resume(cfg: Config) -> None:
    """Raise :class:`ResumeMismatchError` when ``cfg`` resumes a checkpoint
    whose saved config has other head or loss types than ``cfg.model``.
    A checkpoint without a saved config, or that cannot be read here, is
    left to the runner."""
    if not cfg.get('resume'):
        return
    path = checkpoint_to_resume(cfg)
    if not path or not osp.isfile(path):
        return
    try:
        checkpoint = torch.load(path, map_location='cpu', weights_only=True,
                                mmap=True)
    except Exception:  # the runner's own load says what is wrong
        return
    saved = (checkpoint.get('meta') or {}).get('cfg') \
        if isinstance(checkpoint, dict) else None
    if not isinstance(saved, str):
        return
    theirs, ours = saved_model_types(saved), model_types(cfg.model)
    if not theirs or theirs == ours:
        return
    raise ResumeMismatchError(
        f'cannot resume {path}: it was trained with '
        f'{", ".join(sorted(theirs - ours))}, this config trains with '
        f'{", ".join(sorted(ours - theirs))} (heads and losses that differ). '
        '--resume continues the run that wrote the checkpoint, optimiser '
        'and schedule included. To start this config from its weights, '
        f'train with --cfg-options load_from={path} and without --resume')
