"""Test a checkpoint (mmdet's tools/test.py command line).

    python tools/test.py CONFIG CHECKPOINT [--work-dir DIR] [--out x.pkl]
        [--cfg-options k=v ...] [--launcher pytorch]
"""
import argparse

from mmengine.registry import RUNNERS
from mmengine.runner import Runner

from alrp_mmdet.utils import add_common_args, load_config


def parse_args():
    parser = argparse.ArgumentParser(description='Test a detector')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dump the predictions to this .pkl')
    add_common_args(parser)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
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
    runner.test()


if __name__ == '__main__':
    main()
