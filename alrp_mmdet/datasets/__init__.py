"""Synthetic COCO-format data (``python -m alrp_mmdet.datasets.synthetic``)
and the check of COCO-format annotation files (:mod:`.coco_annotations`).

The names are imported from their modules on first use, so that running
:mod:`.synthetic` with ``-m`` does not find it imported already (runpy's
RuntimeWarning).
"""
import importlib

#: each public name -> the module that defines it
_MODULES = {
    'DEMO_DATA': 'synthetic', 'check_dataset': 'synthetic',
    'dataset_spec': 'synthetic', 'generate_dataset': 'synthetic',
    'generate_split': 'synthetic',
    'AnnotationFileError': 'coco_annotations',
    'AnnotationReport': 'coco_annotations',
    'annotation_file_error': 'coco_annotations',
    'check_coco_annotations': 'coco_annotations',
    'class_name_problems': 'coco_annotations'
}
__all__ = sorted(_MODULES)


def __getattr__(name: str):
    if name in _MODULES:
        module = importlib.import_module(f'.{_MODULES[name]}', __name__)
        return getattr(module, name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
