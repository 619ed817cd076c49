"""aLRP Loss for MMDetection 3.x.

Importing this package registers its losses, heads, hooks and metrics into
mmdet's registries, so configs switch it on with
``custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)``.
Importing it also makes mmengine load checkpoints weights-only, with the
types of mmengine's checkpoints allowed
(:func:`~alrp_mmdet.utils.checkpoint.register_safe_checkpoint_loading`).
"""
from . import datasets, engine, evaluation, models  # noqa: F401
from . import visualization  # noqa: F401
from .utils.checkpoint import register_safe_checkpoint_loading
from .version import __version__

register_safe_checkpoint_loading()

__all__ = ['__version__']
