"""aLRP Loss for MMDetection 3.x.

Importing this package registers its losses, heads, hooks and metrics into
mmdet's registries, so configs switch it on with
``custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)``.
"""
from . import datasets, engine, evaluation, models  # noqa: F401
from . import visualization  # noqa: F401
from .version import __version__

__all__ = ['__version__']
