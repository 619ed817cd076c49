"""Test a checkpoint (mmdet's tools/test.py command line).

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out x.pkl]
        [--show] [--show-dir DIR] [--wait-time S] [--test-dev NAME]
        [--cfg-options k=v ...] [--launcher pytorch]

``--show`` / ``--show-dir DIR`` draw every test image with its ground truth
and detections through mmdet's DetVisualizationHook (in a window, or as
files under WORK_DIR/TIMESTAMP/DIR), captioned and enlarged when small by
CaptionedDetLocalVisualizer in place of mmdet's DetLocalVisualizer.

``--test-dev NAME`` runs on COCO test-dev (configs/_base_/datasets/
coco_testdev.py) and writes WORK_DIR/detections_test-dev2017_NAME_results
.json and .zip for the evaluation server.

The test annotation file is checked first (alrp_mmdet.utils.
check_data_files). At the end it prints where it wrote the metrics and log,
the painted images, the predictions and the submission.
"""
import argparse
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from alrp_mmdet.utils import (add_common_args, apply_testdev,
                              check_data_files, empty_datasets_explained,
                              load_config, package_submission,
                              shut_down_distributed)
from mmdet.engine.hooks.utils import trigger_visualization_hook

TESTDEV_CONFIG = osp.join(
    osp.dirname(osp.dirname(osp.abspath(__file__))), 'configs', '_base_',
    'datasets', 'coco_testdev.py')


def parse_args():
    parser = argparse.ArgumentParser(description='Test a detector')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dump the predictions to this .pkl')
    parser.add_argument(
        '--show', action='store_true', help='show prediction results')
    parser.add_argument(
        '--show-dir',
        help='directory where painted images will be saved; relative to '
        'WORK_DIR/TIMESTAMP')
    parser.add_argument(
        '--wait-time', type=float, default=2,
        help='seconds each shown image stays on screen')
    parser.add_argument(
        '--test-dev', metavar='NAME',
        help='write a COCO test-dev submission for method NAME')
    add_common_args(parser)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)
        if cfg.visualizer.type == 'DetLocalVisualizer':
            cfg.visualizer.type = 'CaptionedDetLocalVisualizer'
    submission = None
    if args.test_dev is not None:
        submission = apply_testdev(cfg, args.test_dev, TESTDEV_CONFIG)
    check_data_files(cfg, ['test_dataloader'])
    if args.out is not None:
        if not args.out.endswith(('.pkl', '.pickle')):
            raise ValueError('--out must be a .pkl file')
        evaluators = cfg.test_evaluator
        if isinstance(evaluators, dict):
            evaluators = [evaluators]
        cfg.test_evaluator = list(evaluators) + [
            dict(type='DumpDetResults', out_file_path=args.out)
        ]
    runner = (Runner.from_cfg(cfg) if 'runner_type' not in cfg else
              RUNNERS.build(cfg))
    with empty_datasets_explained():
        runner.test()
    main_process = is_main_process()
    run_dir = osp.join(runner.work_dir, runner.timestamp)
    del runner
    shut_down_distributed()
    if not main_process:
        return
    print('\n==== test finished ====')
    print(f'metrics and log: {run_dir}')
    if args.show_dir:
        print(f'painted images: {osp.join(run_dir, args.show_dir)}')
    if args.out is not None:
        print(f'predictions (pickle): {args.out}')
    if submission is not None:
        print(f'COCO test-dev submission: {package_submission(submission)} '
              '(upload this zip)')


if __name__ == '__main__':
    main()
