"""Loading checkpoints without running code.

torch >= 2.6 loads with ``weights_only=True`` by default: its unpickler
rebuilds tensors, containers and numbers, and any other type only when it
is on torch's allow-list. mmengine's checkpoints hold a few more types in
their message hub (``HistoryBuffer`` with numpy arrays and scalars), so
mmdet's tools stop on a checkpoint they just wrote ("Weights only load
failed"), and the usual way out, ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``,
lets every ``torch.load`` of the process run whatever a file's pickle
calls.

Importing :mod:`alrp_mmdet` (what ``custom_imports`` of every config of the
package does) instead:

- adds exactly the types of mmengine and mmdet checkpoints to torch's
  allow-list (:data:`CHECKPOINT_TYPES`), so mmdet's own ``tools/train.py``
  and ``tools/test.py`` load and resume them with nothing to export;
- registers :func:`load_local_checkpoint` (and :func:`load_http_checkpoint`
  for URLs, whose mmengine loader reads with ``weights_only=False``) as
  mmengine's checkpoint loaders, which always load weights-only and turn a
  refusal into :class:`UnsafeCheckpointError` naming the file, the types
  it would have run and the opt-in, and a file cut short into
  :class:`CheckpointReadError` naming the file.

The opt-in for a file one trusts is the environment variable
``ALRP_TRUSTED_CHECKPOINTS``: the paths (or URLs) of such files separated
by ``os.pathsep``. It is off by default and applies to the files it names
only.
"""
import logging
import os
import os.path as osp
import pickle
from typing import Callable, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.logging import HistoryBuffer, print_log
from mmengine.runner.checkpoint import (CheckpointLoader,
                                        get_torchvision_models)

#: the environment variable listing checkpoint files the user trusts
TRUST_VARIABLE = 'ALRP_TRUSTED_CHECKPOINTS'

_numpy_core = getattr(np, '_core', None) or np.core


def _numpy_types() -> List[Union[Callable, Tuple[Callable, str]]]:
    """numpy's array and scalar constructors and its dtype classes, under
    the names numpy 2 pickles them with and those numpy 1 used (a
    checkpoint written with numpy 1 names ``numpy.core``)."""
    reconstruct = _numpy_core.multiarray._reconstruct
    scalar = _numpy_core.multiarray.scalar
    dtype_classes = [type(np.dtype(name)) for name in (
        'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16',
        'uint32', 'uint64', 'float16', 'float32', 'float64')]
    return [
        np.ndarray, np.dtype, reconstruct, scalar, *dtype_classes,
        (reconstruct, 'numpy.core.multiarray._reconstruct'),
        (scalar, 'numpy.core.multiarray.scalar'),
    ]


#: the statistics methods every HistoryBuffer registers (more may be added
#: with ``HistoryBuffer.register_statistics``)
HISTORY_BUFFER_STATISTICS = ('min', 'max', 'current', 'mean')


def history_buffer_statistic(owner, name: str) -> Callable:
    """``getattr`` as a checkpoint may call it: only for the statistics
    methods of ``HistoryBuffer`` (``HistoryBuffer.min`` and the like, which
    every buffer of the message hub holds and pickle writes as
    ``getattr(HistoryBuffer, 'min')``); anything else is refused."""
    if owner is HistoryBuffer and (name in HISTORY_BUFFER_STATISTICS or
                                   name in HistoryBuffer._statistics_methods):
        return getattr(owner, name)
    raise pickle.UnpicklingError(
        f'builtins.getattr({getattr(owner, "__name__", owner)!r}, '
        f'{name!r}) is not a HistoryBuffer statistic')


#: every type besides torch's own that mmengine 0.10 and mmdet 3.x
#: checkpoints hold: the message hub's HistoryBuffer (with the ``getattr``
#: of its statistics methods) and the numpy arrays, scalars and dtypes
#: inside it and in ``meta``
CHECKPOINT_TYPES = [
    HistoryBuffer, (history_buffer_statistic, 'builtins.getattr'),
    *_numpy_types()
]


class UnsafeCheckpointError(pickle.UnpicklingError):
    """A checkpoint's pickle calls something outside the allow-list."""


class CheckpointReadError(OSError):
    """A checkpoint file that cannot be read (cut short, or not one)."""


def trusted_checkpoints() -> List[str]:
    """The files and URLs named by ``ALRP_TRUSTED_CHECKPOINTS``."""
    return [_same_file_key(entry)
            for entry in os.environ.get(TRUST_VARIABLE, '').split(os.pathsep)
            if entry]


def _same_file_key(name: str) -> str:
    if '://' in name:
        return name
    return osp.realpath(osp.expanduser(name))


def is_trusted(name: str) -> bool:
    """Whether ``ALRP_TRUSTED_CHECKPOINTS`` names this file or URL."""
    return _same_file_key(name) in trusted_checkpoints()


def _refusal(name: str, path: str, error: Exception) -> UnsafeCheckpointError:
    try:
        offending = torch.serialization.get_unsafe_globals_in_checkpoint(path)
    except Exception:  # an old (non-zip) format: torch's message says it
        offending = []
    what = (', '.join(offending) if offending else
            f'a type torch refused ({str(error).strip().splitlines()[-1]})')
    return UnsafeCheckpointError(
        f'refused to load checkpoint {name}: its pickle calls {what}, which '
        'is neither a tensor nor a type that mmengine or mmdet checkpoints '
        'hold; loading it could run code. If you trust this file (you '
        f'wrote it, or got it from its author), name it in {TRUST_VARIABLE}'
        f', e.g. {TRUST_VARIABLE}={name} python tools/test.py ... '
        '(several files: separated by "%s")' % os.pathsep)


def _read_error(name: str, error: Exception) -> CheckpointReadError:
    size = osp.getsize(name) if osp.isfile(name) else None
    return CheckpointReadError(
        f'cannot read checkpoint {name}'
        + (f' ({size} bytes)' if size is not None else '') +
        f': {type(error).__name__}: {error or "unexpected end of file"}. '
        'The file is cut short or is not a torch checkpoint (an '
        'interrupted save, copy or download?): save or fetch it again')


def load_local_checkpoint(filename: str, map_location=None):
    """mmengine's loader for local files (scheme ``''``), weights-only
    unless :func:`is_trusted`."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    trusted = is_trusted(filename)
    if trusted:
        print_log(f'{TRUST_VARIABLE} names {filename}: loading it with '
                  'weights_only=False', logger='current',
                  level=logging.WARNING)
    try:
        return torch.load(filename, map_location=map_location,
                          weights_only=not trusted)
    except pickle.UnpicklingError as error:
        raise _refusal(filename, filename, error) from error
    except (RuntimeError, EOFError, OSError) as error:
        raise _read_error(filename, error) from error


def load_http_checkpoint(filename: str, map_location=None,
                         model_dir: Optional[str] = None,
                         progress: bool = os.isatty(0)):
    """mmengine's loader for URLs (schemes ``http://``, ``https://``): the
    file is downloaded into torch's hub cache as before, then loaded
    weights-only unless :func:`is_trusted` (mmengine loads it with
    ``weights_only=False``)."""
    trusted = is_trusted(filename)
    try:
        return torch.hub.load_state_dict_from_url(
            filename, model_dir=model_dir, map_location=map_location,
            progress=progress, weights_only=not trusted)
    except pickle.UnpicklingError as error:
        cached = osp.join(model_dir or osp.join(torch.hub.get_dir(),
                                                'checkpoints'),
                          osp.basename(filename.split('?')[0]))
        raise _refusal(filename, cached, error) from error


def load_torchvision_checkpoint(filename: str, map_location=None):
    """mmengine's loader for ``torchvision://NAME`` (and the deprecated
    ``modelzoo://NAME``): torchvision's URL of NAME through
    :func:`load_http_checkpoint`."""
    name = filename.split('://', 1)[1]
    return load_http_checkpoint(get_torchvision_models()[name],
                                map_location=map_location)


def register_safe_checkpoint_loading() -> None:
    """Allow :data:`CHECKPOINT_TYPES` in torch's weights-only unpickler and
    make this module's loaders mmengine's for local files, URLs and
    torchvision names. Called when :mod:`alrp_mmdet` is imported."""
    torch.serialization.add_safe_globals(CHECKPOINT_TYPES)
    CheckpointLoader.register_scheme('', load_local_checkpoint, force=True)
    CheckpointLoader.register_scheme(('http://', 'https://'),
                                     load_http_checkpoint, force=True)
    CheckpointLoader.register_scheme(('modelzoo://', 'torchvision://'),
                                     load_torchvision_checkpoint, force=True)
