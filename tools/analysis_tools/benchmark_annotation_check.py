"""Time the annotation-file check on a COCO-size file.

Writes a COCO-format json with ``--images`` images and ``--annotations``
boxes (COCO train2017: 118,287 and 860,001; 80 categories, no masks) into a
temporary folder and times reading it with ``json.load`` alone and the
whole check (:func:`alrp_mmdet.datasets.check_coco_annotations`, without
the image-file check), best of ``--repeats``.

    python tools/analysis_tools/benchmark_annotation_check.py
"""
import argparse
import json
import os.path as osp
import tempfile
import time

import numpy as np

from alrp_mmdet.datasets import check_coco_annotations


def write_file(path: str, num_images: int, num_annotations: int,
               num_classes: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    image_ids = rng.integers(0, num_images, num_annotations)
    xy = rng.uniform(0, 400, (num_annotations, 2)).round(2)
    wh = rng.uniform(2, 200, (num_annotations, 2)).round(2)
    categories = rng.integers(0, num_classes, num_annotations)
    data = dict(
        images=[dict(id=i, file_name=f'{i:012d}.jpg', width=640, height=480)
                for i in range(num_images)],
        annotations=[
            dict(id=k, image_id=int(image_ids[k]),
                 category_id=int(categories[k]) + 1,
                 bbox=[float(xy[k, 0]), float(xy[k, 1]), float(wh[k, 0]),
                       float(wh[k, 1])],
                 area=float(wh[k, 0] * wh[k, 1]), iscrowd=0)
            for k in range(num_annotations)
        ],
        categories=[dict(id=c + 1, name=f'class_{c}')
                    for c in range(num_classes)])
    with open(path, 'w') as f:
        json.dump(data, f)


def best_of(repeats: int, function) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--images', type=int, default=118287)
    parser.add_argument('--annotations', type=int, default=860001)
    parser.add_argument('--classes', type=int, default=80)
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'instances.json')
        write_file(path, args.images, args.annotations, args.classes)
        size = osp.getsize(path) / 2**20
        classes = [f'class_{c}' for c in range(args.classes)]

        def read():
            with open(path) as f:
                json.load(f)

        read_s = best_of(args.repeats, read)
        check_s = best_of(args.repeats,
                          lambda: check_coco_annotations(path, classes))
        report = check_coco_annotations(path, classes)
    print(f'{args.images} images, {args.annotations} annotations, '
          f'{size:.0f} MiB')
    print(f'json.load alone:   {read_s:.2f} s')
    print(f'the whole check:   {check_s:.2f} s '
          f'({check_s / read_s:.2f}x json.load; {len(report.errors)} '
          f'errors, {len(report.warnings)} warning lines)')


if __name__ == '__main__':
    main()
