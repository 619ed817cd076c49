"""EmptyDatasetError only for datasets without images, with the true
cause."""
import json

import pytest

from alrp_mmdet.datasets import generate_dataset
from alrp_mmdet.utils import EmptyDatasetError, empty_datasets_explained
from mmdet.datasets import CocoDataset
from mmdet.utils import register_all_modules

register_all_modules()
CLASSES = ('rectangle', 'ellipse', 'triangle')


@pytest.fixture
def data(tmp_path):
    root = tmp_path / 'data'
    generate_dataset(str(root), dict(train=6), image_size=64, num_classes=3)
    return root


def build(root, classes=CLASSES, **kwargs):
    return CocoDataset(
        data_root=str(root), ann_file='annotations/instances_train.json',
        data_prefix=dict(img='train/'), metainfo=dict(classes=classes),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadAnnotations', with_bbox=True),
                  dict(type='PackDetInputs')], **kwargs)


def test_classes_that_match_no_category_are_named(data):
    with pytest.raises(EmptyDatasetError) as error:
        with empty_datasets_explained():
            build(data, classes=('cat', 'dog'))
    assert "none of its classes ('cat', 'dog') is a category name of " \
        f"ann_file='{data}/annotations/instances_train.json'" in \
        str(error.value)
    assert "the file's categories: ('rectangle', 'ellipse', 'triangle')" \
        in str(error.value)


def test_a_file_without_annotations_is_named(data):
    ann_file = data / 'annotations' / 'instances_train.json'
    ann_file.write_text(json.dumps(dict(json.loads(ann_file.read_text()),
                                        annotations=[])))
    with pytest.raises(EmptyDatasetError,
                       match='has no usable images: ann_file=.* gives none '
                       "after filter_cfg={'filter_empty_gt': True}"):
        with empty_datasets_explained():
            build(data)


@pytest.mark.parametrize('serialize_data', [True, False])
def test_a_missing_image_of_a_dataset_with_images_stays_itself(
        data, serialize_data):
    # mmengine empties data_list after serialising: this was reported as
    # "no usable images"
    dataset = build(data, serialize_data=serialize_data)
    (data / 'train' / dataset.get_data_info(0)['img_path'].split('/')[-1]
     ).unlink()
    with pytest.raises(FileNotFoundError):
        with empty_datasets_explained():
            dataset[0]
