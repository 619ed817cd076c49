"""Check COCO-format annotation files as tools/train.py does before training.

    python tools/analysis_tools/check_annotations.py CONFIG
    python tools/analysis_tools/check_annotations.py --ann-file FILE \
        [--classes NAME ...] [--image-dir DIR]

With a CONFIG it checks every annotation file its train, val and test
dataloaders read, against each dataset's ``metainfo.classes`` and image
folder; with ``--ann-file`` one file, against ``--classes`` (in the
config's order) and ``--image-dir`` when given. It prints each file's
errors (what mmdet would read wrongly or not at all) and warnings (what
mmdet drops on purpose), and exits with 1 when there is an error.
"""
import argparse
import sys
from typing import List

from mmengine.config import Config

from alrp_mmdet.datasets import AnnotationReport, check_coco_annotations
from alrp_mmdet.utils import annotation_reports

LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n')[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('config', nargs='?', help='a config to check')
    parser.add_argument('--ann-file', help='one annotation file to check')
    parser.add_argument('--classes', nargs='+',
                        help='the class names of the config, in its order')
    parser.add_argument('--image-dir', help='the folder of the images')
    args = parser.parse_args()
    if (args.config is None) == (args.ann_file is None):
        parser.error('give a CONFIG or --ann-file, not both')
    return args


def reports_of(args) -> List[AnnotationReport]:
    if args.ann_file is not None:
        return [check_coco_annotations(args.ann_file, args.classes,
                                       args.image_dir)]
    return annotation_reports(Config.fromfile(args.config), LOADERS)


def main() -> int:
    reports = reports_of(parse_args())
    if not reports:
        print('no COCO-format dataset in this config')
    for report in reports:
        print(f'{report.ann_file}: {report.num_images} images, '
              f'{report.num_annotations} annotations, '
              f'{len(report.errors)} error(s), '
              f'{len(report.warnings)} warning(s)')
        for line in report.errors:
            print(f'  error: {line}')
        for line in report.warnings:
            print(f'  warning: {line}')
    return 1 if any(report.errors for report in reports) else 0


if __name__ == '__main__':
    sys.exit(main())
