import importlib.util
import json
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest
from mmengine.config import Config

from alrp_mmdet.datasets import (DEMO_DATA, check_dataset, dataset_spec,
                                 generate_dataset)
from ..conftest import DEMO_CONFIG, REPO

SMALL = dict(splits=dict(train=6, val=3), image_size=64, num_classes=3,
             textured=True, seed=4)


def load(path):
    with open(path) as f:
        return json.load(f)


def test_writes_coco_images_and_annotations_inside_the_images(tmp_path):
    files = generate_dataset(str(tmp_path), **SMALL)
    assert sorted(files) == ['train', 'val']
    for split, num in SMALL['splits'].items():
        coco = load(files[split])
        assert len(coco['images']) == num
        assert [c['name'] for c in coco['categories']] == [
            'rectangle', 'ellipse', 'triangle']
        image_ids = {img['id'] for img in coco['images']}
        for ann in coco['annotations']:
            x, y, w, h = ann['bbox']
            assert ann['image_id'] in image_ids
            assert 1 <= ann['category_id'] <= 3
            assert 0 <= x and 0 <= y and x + w <= 64 and y + h <= 64
            assert ann['area'] == w * h > 0
        for img in coco['images']:
            pixels = cv2.imread(str(tmp_path / split / img['file_name']))
            assert pixels.shape == (64, 64, 3)


def rasterised(polygons, size):
    mask = np.zeros((size, size), np.uint8)
    for polygon in polygons:
        points = np.array(polygon, np.float32).reshape(-1, 2)
        cv2.fillPoly(mask, [points.round().astype(np.int32)], 1)
    return mask.astype(bool)


@pytest.mark.parametrize('overlap', [False, True])
def test_instance_masks_are_the_visible_shapes(tmp_path, overlap):
    files = generate_dataset(str(tmp_path), **dict(
        SMALL, allow_overlap=overlap, max_objects=6, splits=dict(train=8)))
    coco = load(files['train'])
    by_image = {}
    for ann in coco['annotations']:
        by_image.setdefault(ann['image_id'], []).append(ann)
    checked = 0
    for img in coco['images']:
        pixels = cv2.imread(str(tmp_path / 'train' / img['file_name']))
        masks = [rasterised(a['segmentation'], 64)
                 for a in by_image[img['id']]]
        for ann, mask in zip(by_image[img['id']], masks):
            x, y, w, h = ann['bbox']
            box = np.zeros((64, 64), bool)
            # (cv2 draws an ellipse up to one pixel past its box's side)
            box[max(y - 1, 0):y + h + 1, max(x - 1, 0):x + w + 1] = True
            # inside its box, a real part of it, and shape-coloured pixels
            assert mask.sum() > 0 and not (mask & ~box).any()
            assert mask.sum() <= ann['area']
            assert pixels[mask].min() >= 100  # shapes are drawn >= 120
            checked += 1
        if not overlap:  # without occlusion no pixel belongs to two masks
            assert sum(m.astype(int) for m in masks).max() <= 1
    assert checked == len(coco['annotations']) > 8


def test_masks_load_as_mmdets_instance_masks(tmp_path):
    from mmdet.datasets import CocoDataset
    from mmdet.utils import register_all_modules
    register_all_modules()
    generate_dataset(str(tmp_path), **SMALL)
    dataset = CocoDataset(
        data_root=str(tmp_path), ann_file='annotations/instances_train.json',
        data_prefix=dict(img='train/'),
        metainfo=dict(classes=('rectangle', 'ellipse', 'triangle')),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadAnnotations', with_bbox=True,
                       with_mask=True),
                  dict(type='PackDetInputs')])
    sample = dataset[0]['data_samples']
    masks = sample.gt_instances.masks
    assert masks.to_ndarray().shape == (len(sample.gt_instances), 64, 64)
    assert (masks.areas > 0).all()


def test_same_arguments_write_the_same_data(tmp_path):
    first = generate_dataset(str(tmp_path / 'a'), **SMALL)
    second = generate_dataset(str(tmp_path / 'b'), **SMALL)
    other = generate_dataset(str(tmp_path / 'c'), **dict(SMALL, seed=5))
    assert load(first['train']) == load(second['train'])
    assert load(first['train']) != load(other['train'])


def test_check_dataset_names_what_differs(tmp_path):
    generate_dataset(str(tmp_path), **SMALL)
    check_dataset(str(tmp_path), **SMALL)
    with pytest.raises(ValueError, match=r'num_classes is 3, expected 2'):
        check_dataset(str(tmp_path), **dict(SMALL, num_classes=2))
    with pytest.raises(ValueError, match=r"splits is \{'train': 6"):
        check_dataset(str(tmp_path), **dict(SMALL, splits=dict(train=7)))
    (tmp_path / 'generator.json').unlink()
    with pytest.raises(ValueError, match='has no generator.json'):
        check_dataset(str(tmp_path), **SMALL)
    with pytest.raises(TypeError, match='unknown synthetic data arguments'):
        dataset_spec(colour='red')


def test_command_line_writes_the_demo_configs_data(tmp_path):
    config = Config.fromfile(DEMO_CONFIG)
    assert dataset_spec(**config.synthetic_data) == dataset_spec(**DEMO_DATA)
    assert len(config.classes) == DEMO_DATA['num_classes']
    for args in ([], ['--config', DEMO_CONFIG]):
        out = tmp_path / str(len(args))
        subprocess.run([sys.executable, '-m', 'alrp_mmdet.datasets.synthetic',
                        str(out), '--num-train', '2', '--num-val', '1'] + args,
                       check=True, capture_output=True, cwd=REPO)
        written = load(out / 'generator.json')
        if args:  # the config's data, whatever the other options say
            assert written == dataset_spec(**config.synthetic_data)
        else:
            assert written == dataset_spec(**dict(
                DEMO_DATA, splits=dict(train=2, val=1)))


@pytest.mark.parametrize('kwargs, match', [
    # 3 px images drew zero-size boxes
    (dict(image_size=3), r'image_size must be an integer >= 8'),
    (dict(image_size=-5), r'image_size must be an integer >= 8'),
    (dict(image_size=96.5), r'image_size must be an integer'),
    # numpy errors before
    (dict(max_objects=0), r'max_objects must be an integer >= 1'),
    (dict(max_objects=-2), r'max_objects must be an integer >= 1'),
    (dict(splits=dict(train=-1)), r'number of images must be an integer'),
    (dict(num_classes=6), r'num_classes must be an integer in \[1, 5\]'),
    (dict(min_size=0.7, max_size=0.6), r'0 < min_size <= max_size <= 1'),
])
def test_arguments_that_would_write_broken_data_are_refused(
        tmp_path, kwargs, match):
    with pytest.raises(ValueError, match=match):
        generate_dataset(str(tmp_path / 'data'), **kwargs)
    assert not (tmp_path / 'data' / 'annotations').exists()


def test_command_line_reports_a_bad_argument_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, '-m', 'alrp_mmdet.datasets.synthetic',
         str(tmp_path), '--max-objects', '0'], capture_output=True,
        text=True, cwd=REPO)
    assert result.returncode == 2
    assert 'error: max_objects must be an integer >= 1' in result.stderr
    assert 'Traceback' not in result.stderr


def test_command_line_says_what_it_wrote_and_the_config_lines(tmp_path):
    # the own-data config's lines; test_docs trains with them
    result = subprocess.run(
        [sys.executable, '-m', 'alrp_mmdet.datasets.synthetic',
         str(tmp_path), '--num-train', '5', '--num-val', '2',
         '--num-classes', '4', '--max-objects', '5'],
        capture_output=True, text=True, cwd=REPO, check=True)
    # runpy warned that the module was imported before it ran
    assert 'RuntimeWarning' not in result.stderr, result.stderr
    coco = load(tmp_path / 'annotations' / 'instances_train.json')
    counts = [sum(a['category_id'] == i + 1 for a in coco['annotations'])
              for i in range(4)]
    assert (f'train: 5 images, {len(coco["annotations"])} objects '
            f'(rectangle {counts[0]}, ellipse {counts[1]}, triangle '
            f'{counts[2]}, cross {counts[3]})') in result.stdout
    assert "classes = ('rectangle', 'ellipse', 'triangle', 'cross')" \
        in result.stdout
    assert 'image_size = 96' in result.stdout
    assert f"data_root = '{tmp_path}/'" in result.stdout
    usage = ' '.join(subprocess.run(
        [sys.executable, '-m', 'alrp_mmdet.datasets.synthetic', '--help'],
        capture_output=True, text=True, cwd=REPO, check=True).stdout.split())
    assert 'training images (default: 800)' in usage
    assert 'at most 5: rectangle, ellipse, triangle, cross, diamond' in usage


def demo_module():
    spec = importlib.util.spec_from_file_location(
        'demo', osp.join(REPO, 'tools', 'demo.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_refuses_data_that_is_not_its_configs(tmp_path):
    demo = demo_module()
    cfg = Config.fromfile(DEMO_CONFIG)
    root = str(tmp_path / 'synthetic')
    cfg.train_dataloader.dataset.data_root = root
    cfg.synthetic_data = SMALL
    generate_dataset(root, **dict(SMALL, num_classes=2))
    with pytest.raises(SystemExit, match='(?s)num_classes is 2, expected 3.*'
                       '--regenerate'):
        demo.prepare_data(cfg, regenerate=False)
    demo.prepare_data(cfg, regenerate=True)
    check_dataset(root, **SMALL)
    demo.prepare_data(cfg, regenerate=False)  # now it is the config's
