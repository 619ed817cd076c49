"""A clear error for a dataset that ends up without images.

A COCO-format annotation file without annotations (or whose images are all
filtered out by ``filter_cfg``) makes mmengine fail while serialising the
dataset with numpy's ``need at least one array to concatenate``, which
names neither the dataset nor the file.
"""
from contextlib import contextmanager
from types import TracebackType
from typing import Iterator, Optional

from mmengine.dataset import BaseDataset


class EmptyDatasetError(ValueError):
    """A dataset of the config holds no usable image."""


@contextmanager
def empty_datasets_explained() -> Iterator[None]:
    """Re-raise an error met while a dataset without any image was being
    built as :class:`EmptyDatasetError` naming its annotation file."""
    try:
        yield
    except Exception as error:
        dataset = _empty_dataset_in(error.__traceback__)
        if dataset is None:
            raise
        filtered = dataset.filter_cfg or {}
        raise EmptyDatasetError(
            f'{type(dataset).__name__} has no usable images: '
            f'ann_file={dataset.ann_file!r} (data_root '
            f'{dataset.data_root!r}) gives none'
            + (f' after filter_cfg={filtered}' if filtered else '') +
            '. Check that the file holds images with annotations and that '
            'data_root, ann_file and data_prefix point to your data') \
            from error


def _empty_dataset_in(trace: Optional[TracebackType]
                      ) -> Optional[BaseDataset]:
    """The dataset without data whose method the traceback passes, if
    any."""
    while trace is not None:
        owner = trace.tb_frame.f_locals.get('self')
        if isinstance(owner, BaseDataset) and \
                not getattr(owner, 'data_list', None):
            return owner
        trace = trace.tb_next
    return None
