"""Check the annotation files a config reads before anything trains.

``tools/train.py``, ``tools/test.py`` and ``tools/demo.py`` call
:func:`check_data_files` on the dataloaders they will use: every dataset
read by mmdet's ``CocoDataset`` loader (``CocoDataset`` and subclasses that
keep its ``load_data_list``) has its annotation file checked by
:func:`~alrp_mmdet.datasets.coco_annotations.check_coco_annotations`
against the dataset's ``metainfo.classes`` and image folder. Every error of
every file is raised as one
:class:`~alrp_mmdet.datasets.coco_annotations.AnnotationFileError`;
what mmdet drops on purpose is logged as a warning.
"""
import logging
import os.path as osp
from typing import Iterator, List, NamedTuple, Optional, Sequence, Tuple

from mmengine.config import Config
from mmengine.logging import print_log

from mmdet.datasets import CocoDataset
from mmdet.registry import DATASETS
from ..datasets.coco_annotations import (AnnotationReport,
                                         annotation_file_error,
                                         check_coco_annotations)
from .data_config import leaf_datasets


class DatasetFiles(NamedTuple):
    """What one dataset of a config reads.

    Attributes:
        ann_file: its annotation file (joined with its data_root).
        classes: its ``metainfo.classes``, else its class's.
        image_dir: its image folder (data_root joined with
            ``data_prefix.img``).
        require_annotations: False for a test-mode dataset, which may read
            an image-info file without annotations (COCO test-dev).
    """
    ann_file: str
    classes: Optional[Tuple[str, ...]]
    image_dir: str
    require_annotations: bool


def _reads_like_coco(dataset_type) -> Optional[type]:
    """The dataset class when it loads with CocoDataset's loader."""
    cls = DATASETS.get(dataset_type) if isinstance(dataset_type, str) \
        else dataset_type
    if isinstance(cls, type) and issubclass(cls, CocoDataset) and \
            cls.load_data_list is CocoDataset.load_data_list:
        return cls
    return None


def coco_dataset_files(cfg: Config, loader_keys: Sequence[str]
                       ) -> Iterator[DatasetFiles]:
    """What each CocoDataset-read dataset of the given dataloaders reads,
    each once."""
    seen = set()
    for loader_key in loader_keys:
        loader = cfg.get(loader_key)
        if not loader or 'dataset' not in loader:
            continue
        for _, dataset in leaf_datasets(loader['dataset'],
                                        f'{loader_key}.dataset'):
            cls = _reads_like_coco(dataset.get('type'))
            if cls is None or not dataset.get('ann_file'):
                continue
            root = dataset.get('data_root') or ''
            ann_file = osp.join(root, dataset['ann_file'])
            classes = (dataset.get('metainfo') or {}).get('classes') or \
                cls.METAINFO.get('classes')
            image_dir = osp.join(root, (dataset.get('data_prefix') or
                                        {}).get('img', ''))
            files = DatasetFiles(ann_file,
                                 tuple(classes) if classes else None,
                                 image_dir,
                                 not dataset.get('test_mode', False))
            if files not in seen:
                seen.add(files)
                yield files


def annotation_reports(cfg: Config, loader_keys: Sequence[str]
                       ) -> List[AnnotationReport]:
    """The report of each annotation file the given dataloaders read."""
    return [
        check_coco_annotations(files.ann_file, files.classes,
                               files.image_dir, files.require_annotations)
        for files in coco_dataset_files(cfg, loader_keys)
    ]


def check_data_files(cfg: Config, loader_keys: Sequence[str]
                     ) -> List[AnnotationReport]:
    """Check the annotation files of the given dataloaders; raise one
    :class:`~alrp_mmdet.datasets.coco_annotations.AnnotationFileError`
    listing every error, log every warning, return the reports."""
    reports = annotation_reports(cfg, loader_keys)
    error = annotation_file_error(reports)
    if error is not None:
        raise error
    for report in reports:
        for warning in report.warnings:
            print_log(f'{report.ann_file}: {warning}', logger='current',
                      level=logging.WARNING)
    return reports
