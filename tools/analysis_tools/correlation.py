"""Correlation of the classification and localisation rankings (paper's rho).

    python tools/analysis_tools/correlation.py CONFIG CHECKPOINT
        [--out-dir DIR] [--tau 0.5] [--cfg-options k=v ...]

Runs the checkpoint on the config's test set, matches its detections to the
ground truth with COCO's rules (area 'all', 100 per image) and, for every
class, computes the Pearson correlation between the rankings of its true
positives (IoU >= tau) by score and by IoU (aLRP paper Sec. 5.1, Table 2
and 5). Prints rho averaged over classes, writes correlation.json (per
class) and correlation.png (scores against IoUs) to the output directory.
The config's test evaluator (or one of a list) must be a CocoMetric, or a
subclass such as LRPMetric, with an ``ann_file``. A class whose rho is
undefined (fewer than two true positives, or constant scores or IoUs) is
written as ``null``.
"""
import argparse
import json
import os
import os.path as osp

import matplotlib
import numpy as np
from mmengine.runner import Runner

from alrp_mmdet.evaluation import coco_matches, ranking_correlation
from alrp_mmdet.utils import add_common_args, check_data_files, load_config
from mmdet.datasets.api_wrappers import COCO, COCOeval

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out-dir', help='default: the work dir')
    parser.add_argument('--tau', type=float, default=0.5,
                        help='IoU of a true positive')
    add_common_args(parser)
    return parser.parse_args()


def coco_evaluator(evaluators):
    """The first test evaluator (a dict or a list of them) that is a
    CocoMetric, or a registered subclass such as LRPMetric, with an
    ``ann_file``."""
    from mmdet.evaluation import CocoMetric
    from mmdet.registry import METRICS
    for evaluator in (evaluators if isinstance(evaluators, (list, tuple))
                      else [evaluators]):
        metric = evaluator.get('type') if isinstance(evaluator,
                                                     dict) else None
        if isinstance(metric, str):
            metric = METRICS.get(metric)
        if isinstance(metric, type) and issubclass(metric, CocoMetric) \
                and evaluator.get('ann_file'):
            return evaluator
    raise ValueError('the config needs a test evaluator that is a CocoMetric '
                     '(or a subclass such as LRPMetric) with the ground truth '
                     f'in ann_file; got {evaluators!r}')


def detect(cfg, out_dir):
    """Run the test set; returns (gt COCO file, detections json)."""
    evaluator = coco_evaluator(cfg.test_evaluator)
    prefix = osp.join(out_dir, 'detections')
    cfg.test_evaluator = dict(evaluator, type='CocoMetric', metric='bbox',
                              format_only=True, outfile_prefix=prefix)
    Runner.from_cfg(cfg).test()
    return evaluator['ann_file'], f'{prefix}.bbox.json'


def correlations(ann_file, detections_file, tau):
    """Per category name: (rho, true-positive scores, their IoUs)."""
    coco_gt = COCO(ann_file)
    with open(detections_file) as f:
        detections = json.load(f)
    if not detections:
        raise RuntimeError('the checkpoint gave no detections')
    coco_eval = COCOeval(coco_gt, coco_gt.loadRes(detections), 'bbox')
    coco_eval.params.maxDets = [100]
    coco_eval.evaluate()
    results = {}
    for cat_id, matches in coco_matches(coco_eval, tau).items():
        name = coco_gt.cats[cat_id]['name']
        is_tp = matches.ious >= tau
        results[name] = (ranking_correlation(matches, tau),
                         matches.scores[is_tp], matches.ious[is_tp])
    return results


def plot(results, rho, path):
    fig, ax = plt.subplots(figsize=(6, 5))
    for name, (class_rho, scores, ious) in results.items():
        ax.scatter(ious, scores, s=6, alpha=0.5,
                   label=f'{name} (rho {class_rho:.2f})')
    ax.set_xlabel('IoU with the matched ground truth')
    ax.set_ylabel('classification score')
    ax.set_title(f'true positives; mean rho = {rho:.3f}')
    if len(results) <= 10:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def summary(results, tau):
    """The contents of correlation.json: rho averaged over the classes that
    have one, and per class; a rho that is undefined (fewer than two true
    positives, or constant scores or IoUs) is ``null``, not ``NaN``, which
    is not JSON."""

    def number(value):
        return None if np.isnan(value) else float(value)

    rhos = [r for r, _, _ in results.values() if not np.isnan(r)]
    return dict(
        rho=float(np.mean(rhos)) if rhos else None,
        classes_with_rho=len(rhos),
        tau=tau,
        per_class={
            name: dict(rho=number(r), true_positives=len(scores))
            for name, (r, scores, _) in results.items()
        })


def main():
    args = parse_args()
    cfg = load_config(args)
    cfg.load_from = args.checkpoint
    check_data_files(cfg, ['test_dataloader'])
    out_dir = args.out_dir or cfg.work_dir
    os.makedirs(out_dir, exist_ok=True)
    ann_file, detections_file = detect(cfg, out_dir)
    results = correlations(ann_file, detections_file, args.tau)
    written = summary(results, args.tau)
    with open(osp.join(out_dir, 'correlation.json'), 'w') as f:
        json.dump(written, f, indent=1, allow_nan=False)
    rho = float('nan') if written['rho'] is None else written['rho']
    plot(results, rho, osp.join(out_dir, 'correlation.png'))
    print(f'rho (mean over {written["classes_with_rho"]} classes) = '
          f'{rho:.4f}')
    print(f'per class: {osp.join(out_dir, "correlation.json")}')
    print(f'plot:      {osp.join(out_dir, "correlation.png")}')


if __name__ == '__main__':
    main()
