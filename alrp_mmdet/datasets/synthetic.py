"""Deterministic synthetic detection data in COCO format.

Coloured shapes (one class per shape) on plain or textured backgrounds, with
varied sizes and optional overlaps, written as PNG images plus
``annotations/instances_{split}.json`` (boxes and, by default, instance
masks as COCO polygons), and the generator's arguments as
``generator.json``, so a user of the data can check that it is what a config
expects (:func:`check_dataset`). Used by the demo and the tests, so nothing
is downloaded. The command line's defaults write the demo configs' data:

    python -m alrp_mmdet.datasets.synthetic data/synthetic
    python -m alrp_mmdet.datasets.synthetic data/synthetic --config CONFIG
"""
import argparse
import inspect
import json
import os
import os.path as osp
from typing import Dict, Optional

import cv2
import numpy as np
from mmengine.config import Config

SHAPES = ('rectangle', 'ellipse', 'triangle', 'cross', 'diamond')
#: the data of the demo configs (their ``synthetic_data``)
DEMO_DATA = dict(splits=dict(train=800, val=150), image_size=96,
                 num_classes=3, textured=True, seed=0)
#: the file in which :func:`generate_dataset` records its arguments
MANIFEST = 'generator.json'


def _draw(img: np.ndarray, shape: str, box, colour) -> None:
    x1, y1, x2, y2 = box
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    colour = tuple(int(c) for c in colour)
    if shape == 'rectangle':
        cv2.rectangle(img, (x1, y1), (x2 - 1, y2 - 1), colour, -1)
    elif shape == 'ellipse':
        cv2.ellipse(img, (int(cx), int(cy)),
                    (max(1, (x2 - x1) // 2), max(1, (y2 - y1) // 2)), 0, 0,
                    360, colour, -1)
    elif shape == 'triangle':
        pts = np.array([[cx, y1], [x2 - 1, y2 - 1], [x1, y2 - 1]], np.int32)
        cv2.fillPoly(img, [pts], colour)
    elif shape == 'diamond':
        pts = np.array([[cx, y1], [x2 - 1, cy], [cx, y2 - 1], [x1, cy]],
                       np.int32)
        cv2.fillPoly(img, [pts], colour)
    else:  # cross
        w, h = (x2 - x1) // 3, (y2 - y1) // 3
        cv2.rectangle(img, (x1 + w, y1), (x2 - w - 1, y2 - 1), colour, -1)
        cv2.rectangle(img, (x1, y1 + h), (x2 - 1, y2 - h - 1), colour, -1)


def _polygons(mask: np.ndarray) -> list:
    """COCO polygons (x1, y1, x2, y2, ...) of the outer contours of a
    binary mask, at least 3 points each."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_SIMPLE)
    return [[float(v) for v in c.reshape(-1)] for c in contours
            if len(c) >= 3]


def _background(rng: np.random.Generator, size: int,
                textured: bool) -> np.ndarray:
    base = rng.integers(0, 80, 3)
    img = np.broadcast_to(base, (size, size, 3)).astype(np.float32)
    if textured:
        cells = rng.integers(2, 8)
        noise = rng.normal(0, 25, (cells, cells, 3)).astype(np.float32)
        img += cv2.resize(noise, (size, size), interpolation=cv2.INTER_CUBIC)
        img += rng.normal(0, 8, (size, size, 3))
    return np.ascontiguousarray(np.clip(img, 0, 255).astype(np.uint8))


def generate_split(out_dir: str, split: str, num_images: int,
                   image_size: int = 96, num_classes: int = 2,
                   max_objects: int = 3, min_size: float = 0.25,
                   max_size: float = 0.6, textured: bool = False,
                   allow_overlap: bool = False, instance_masks: bool = True,
                   seed: int = 0) -> str:
    """Write ``num_images`` images of one split; returns the annotation path.

    Args:
        image_size: side of the square images in pixels.
        num_classes: number of shape classes (at most len(SHAPES)).
        max_objects: objects per image are drawn from 1..max_objects.
        min_size, max_size: object side as a fraction of the image side.
        textured: smooth random texture plus noise instead of a plain
            background.
        allow_overlap: let later shapes partly occlude earlier ones.
        instance_masks: write each object's mask as COCO polygons
            (``segmentation``): the visible part of the shape, or the whole
            shape when later ones hide all of it. ``area`` stays the box
            area either way, so box evaluation does not depend on it.
        seed: everything is determined by it (and the split name).
    """
    check_arguments(num_images=num_images, image_size=image_size,
                    num_classes=num_classes, max_objects=max_objects,
                    min_size=min_size, max_size=max_size)
    rng = np.random.default_rng([seed, sum(map(ord, split))])
    img_dir = osp.join(out_dir, split)
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(osp.join(out_dir, 'annotations'), exist_ok=True)
    images, annotations = [], []
    for img_id in range(1, num_images + 1):
        img = _background(rng, image_size, textured)
        boxes, shapes, visible = [], [], []
        for _ in range(rng.integers(1, max_objects + 1)):
            for _attempt in range(20):
                w, h = (rng.uniform(min_size, max_size, 2) *
                        image_size).astype(int)
                x1 = int(rng.integers(0, image_size - w + 1))
                y1 = int(rng.integers(0, image_size - h + 1))
                box = (x1, y1, x1 + w, y1 + h)
                if allow_overlap or all(_iou(box, b) == 0 for b in boxes):
                    break
            else:
                continue
            label = int(rng.integers(0, num_classes))
            colour = rng.integers(120, 256, 3)
            _draw(img, SHAPES[label], box, colour)
            if instance_masks:
                shape = np.zeros((image_size, image_size), np.uint8)
                _draw(shape, SHAPES[label], box, (1, 1, 1))
                visible = [mask & (1 - shape) for mask in visible] + [shape]
                shapes.append(shape)
            boxes.append(box)
            annotations.append(
                dict(id=len(annotations) + 1, image_id=img_id,
                     category_id=label + 1, bbox=[x1, y1, int(w), int(h)],
                     area=float(w * h), iscrowd=0))
        for ann, shape, mask in zip(annotations[-len(shapes):], shapes,
                                    visible):
            ann['segmentation'] = _polygons(mask) or _polygons(shape)
        name = f'{img_id:06d}.png'
        cv2.imwrite(osp.join(img_dir, name), img)
        images.append(dict(id=img_id, file_name=name, width=image_size,
                           height=image_size))
    categories = [dict(id=i + 1, name=SHAPES[i]) for i in range(num_classes)]
    ann_file = osp.join(out_dir, 'annotations', f'instances_{split}.json')
    with open(ann_file, 'w') as f:
        json.dump(dict(images=images, annotations=annotations,
                       categories=categories), f)
    return ann_file


def check_arguments(num_images: int, image_size: int, num_classes: int,
                    max_objects: int, min_size: float,
                    max_size: float) -> None:
    """Raise ValueError naming the first argument that would write broken
    data (zero-size boxes, no objects) or fail inside numpy."""

    def integer(value) -> bool:
        return isinstance(value, (int, np.integer)) and \
            not isinstance(value, bool)

    if not integer(num_images) or num_images < 0:
        raise ValueError(f'the number of images must be an integer >= 0, '
                         f'got {num_images!r}')
    if not integer(num_classes) or not 1 <= num_classes <= len(SHAPES):
        raise ValueError(f'num_classes must be an integer in [1, '
                         f'{len(SHAPES)}] (one per shape), got '
                         f'{num_classes!r}')
    if not integer(max_objects) or max_objects < 1:
        raise ValueError('max_objects must be an integer >= 1 (every image '
                         f'holds 1..max_objects objects), got {max_objects!r}')
    if not all(isinstance(v, (int, float)) for v in (min_size, max_size)) \
            or not 0 < min_size <= max_size <= 1:
        raise ValueError('object sizes must satisfy 0 < min_size <= max_size '
                         f'<= 1, got min_size={min_size!r}, '
                         f'max_size={max_size!r}')
    smallest = 2 / min_size
    if not integer(image_size) or image_size < smallest:
        raise ValueError(
            f'image_size must be an integer >= {smallest:g}, so that the '
            f'smallest objects (min_size={min_size:g} of the side) are at '
            f'least 2 pixels wide, got {image_size!r}')


def _iou(a, b) -> float:
    w = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) +
                    (b[2] - b[0]) * (b[3] - b[1]) - inter)


def dataset_spec(splits: Optional[Dict[str, int]] = None,
                 **kwargs) -> dict:
    """Every argument of :func:`generate_dataset`, defaults filled in: two
    equal specs write the same files."""
    defaults = {
        name: param.default
        for name, param in inspect.signature(generate_split).parameters.items()
        if param.default is not inspect.Parameter.empty
    }
    unknown = set(kwargs) - set(defaults)
    if unknown:
        raise TypeError(f'unknown synthetic data arguments {sorted(unknown)}')
    return dict(splits=dict(splits or dict(train=600, val=100)),
                **dict(defaults, **kwargs))


def generate_dataset(out_dir: str,
                     splits: Dict[str, int] = None,
                     **kwargs) -> Dict[str, str]:
    """Write every split (name -> number of images) and ``generator.json``;
    returns the annotation files. Keyword arguments go to
    :func:`generate_split`."""
    spec = dataset_spec(splits, **kwargs)
    files = {
        split: generate_split(out_dir, split, num, **kwargs)
        for split, num in spec['splits'].items()
    }
    with open(osp.join(out_dir, MANIFEST), 'w') as f:
        json.dump(spec, f, indent=1)
    return files


def check_dataset(out_dir: str, **expected) -> None:
    """Raise ValueError unless ``out_dir`` holds the data that
    :func:`generate_dataset` writes with ``expected`` (a config's
    ``synthetic_data``)."""
    wanted = dataset_spec(**expected)
    manifest = osp.join(out_dir, MANIFEST)
    if not osp.exists(manifest):
        raise ValueError(f'{out_dir} has no {MANIFEST}: it was not written by '
                         'this generator (or by an older version), so it may '
                         'not be the data the config expects')
    with open(manifest) as f:
        found = json.load(f)
    differ = {k: (found.get(k), v) for k, v in wanted.items()
              if found.get(k) != v}
    if differ:
        raise ValueError(f'{out_dir} does not hold the data the config '
                         'expects: ' + ', '.join(
                             f'{k} is {have!r}, expected {want!r}'
                             for k, (have, want) in differ.items()))


def describe(out_dir: str, files: Dict[str, str]) -> str:
    """What the generator wrote: images and objects per class of each split,
    then the lines of the own-data config that use the data."""
    lines, names = [], []
    for split, ann_file in files.items():
        with open(ann_file) as f:
            coco = json.load(f)
        names = [cat['name'] for cat in coco['categories']]
        counts = np.bincount([a['category_id'] - 1
                              for a in coco['annotations']],
                             minlength=len(names))
        per_class = ', '.join(f'{name} {count}'
                              for name, count in zip(names, counts))
        lines.append(f'{split}: {len(coco["images"])} images, '
                     f'{len(coco["annotations"])} objects ({per_class}) in '
                     f'{ann_file}')
    image_size = max(max(image['width'], image['height'])
                     for image in coco['images'])
    lines += [
        'for configs/own_data/coco_format_data.py (file names as there):',
        f"  data_root = '{osp.join(out_dir, '')}'",
        f'  classes = {tuple(names)!r}',
        f'  image_size = {image_size}',
    ]
    return '\n'.join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('out_dir', help='folder to write the data into')
    parser.add_argument('--config', help="write this config's synthetic_data "
                        '(the other options are then ignored)')
    parser.add_argument('--num-train', type=int,
                        default=DEMO_DATA['splits']['train'],
                        help='training images')
    parser.add_argument('--num-val', type=int,
                        default=DEMO_DATA['splits']['val'],
                        help='validation images')
    parser.add_argument('--image-size', type=int,
                        default=DEMO_DATA['image_size'],
                        help='side of the square images in pixels')
    parser.add_argument('--num-classes', type=int,
                        default=DEMO_DATA['num_classes'],
                        help=f'shape classes, at most {len(SHAPES)}: '
                        f'{", ".join(SHAPES)}')
    parser.add_argument('--max-objects', type=int, default=3,
                        help='objects per image are 1 to this many')
    parser.add_argument('--textured', action=argparse.BooleanOptionalAction,
                        default=DEMO_DATA['textured'],
                        help='textured backgrounds instead of plain ones')
    parser.add_argument('--allow-overlap', action='store_true',
                        help='let shapes partly occlude each other')
    parser.add_argument('--seed', type=int, default=DEMO_DATA['seed'],
                        help='everything written follows from it')
    args = parser.parse_args()
    if args.config:
        spec = dict(Config.fromfile(args.config)['synthetic_data'])
    else:
        spec = dict(
            splits=dict(train=args.num_train, val=args.num_val),
            image_size=args.image_size, num_classes=args.num_classes,
            max_objects=args.max_objects, textured=args.textured,
            allow_overlap=args.allow_overlap, seed=args.seed)
    try:
        files = generate_dataset(args.out_dir, **spec)
    except ValueError as error:
        parser.error(str(error))
    print(describe(args.out_dir, files))


if __name__ == '__main__':
    main()
