"""Synthetic COCO-format data (``python -m alrp_mmdet.datasets.synthetic``).

The names are imported from :mod:`.synthetic` on first use, so that running
that module with ``-m`` does not find it imported already (runpy's
RuntimeWarning).
"""
import importlib

__all__ = [
    'DEMO_DATA', 'check_dataset', 'dataset_spec', 'generate_dataset',
    'generate_split'
]


def __getattr__(name: str):
    if name in __all__:
        return getattr(importlib.import_module('.synthetic', __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
