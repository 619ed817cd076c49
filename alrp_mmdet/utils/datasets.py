"""A clear error for a dataset that ends up without images.

A COCO-format annotation file without annotations (or whose images are all
filtered out by ``filter_cfg``) makes mmengine fail while serialising the
dataset with numpy's ``need at least one array to concatenate``, which
names neither the dataset nor the file.
"""
import json
from contextlib import contextmanager
from types import TracebackType
from typing import Iterator, Optional

from mmengine.dataset import BaseDataset


class EmptyDatasetError(ValueError):
    """A dataset of the config holds no usable image."""


@contextmanager
def empty_datasets_explained() -> Iterator[None]:
    """Re-raise an error met while a dataset without any image was being
    built as :class:`EmptyDatasetError` naming its annotation file (and,
    when its class names match no category of the file, saying so).
    Every other error, one met while reading a dataset that has images
    included, passes unchanged."""
    try:
        yield
    except Exception as error:
        dataset = _empty_dataset_in(error.__traceback__)
        if dataset is None:
            raise
        raise EmptyDatasetError(_explanation(dataset)) from error


def _explanation(dataset: BaseDataset) -> str:
    name = type(dataset).__name__
    where = (f'ann_file={dataset.ann_file!r} (data_root '
             f'{dataset.data_root!r})')
    classes = dataset.metainfo.get('classes')
    if getattr(dataset, 'cat_ids', None) == [] and classes:
        return (f'{name} has no usable images: none of its classes '
                f'{tuple(classes)} is a category name of {where}; the '
                f"file's categories: {_category_names(dataset.ann_file)}. "
                "List the file's names (in its order) as the classes")
    filtered = dataset.filter_cfg or {}
    return (f'{name} has no usable images: {where} gives none'
            + (f' after filter_cfg={filtered}' if filtered else '') +
            '. Check that the file holds images with annotations and that '
            'data_root, ann_file and data_prefix point to your data')


def _category_names(ann_file: str) -> tuple:
    with open(ann_file, encoding='utf-8') as f:
        return tuple(category.get('name')
                     for category in json.load(f).get('categories', []))


def _empty_dataset_in(trace: Optional[TracebackType]
                      ) -> Optional[BaseDataset]:
    """The dataset without data whose method the traceback passes, if any:
    one failing to serialise an empty data list (mmengine then fails with
    numpy's "need at least one array to concatenate"), or one fully
    initialised with no item. A serialised dataset's ``data_list`` is
    emptied on purpose, so an empty list alone says nothing."""
    while trace is not None:
        frame = trace.tb_frame
        owner = frame.f_locals.get('self')
        if isinstance(owner, BaseDataset) and (
                (frame.f_code.co_name == '_serialize_data' and
                 not owner.data_list) or
                (owner._fully_initialized and len(owner) == 0)):
            return owner
        trace = trace.tb_next
    return None
