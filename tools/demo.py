"""The demo: synthetic data -> train the tiny aLRP detector -> COCO AP.

    python tools/demo.py [--config CONFIG] [--work-dir DIR] [--epochs N]

Generates the synthetic shapes dataset under data/synthetic (once), trains
the config (CPU, or GPU where present), evaluates COCO AP on the synthetic
validation set, writes the detections as COCO json, and plots the aLRP
components per iteration, the SB weight per epoch and the gradient balance.
"""
import argparse
import json
import os
import os.path as osp
import time

import matplotlib
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from alrp_mmdet.datasets import generate_dataset
from alrp_mmdet.models.losses import find_alrp_losses
from alrp_mmdet.utils import trust_mmengine_checkpoints

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIG = osp.join(ROOT, 'configs', 'demo',
                          'alrp_atss_tiny_synthetic.py')


class CurvesHook(Hook):
    """Records the logged losses and diagnostics of every iteration."""
    priority = 'LOW'

    def __init__(self):
        self.iterations = []
        self.epochs = []
        self.initial_sb_weights = {}

    def before_train(self, runner):
        self.initial_sb_weights = {
            name: float(loss.sb_weight)
            for name, loss in find_alrp_losses(runner.model)
        }

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        record = {k: float(v) for k, v in outputs.items()}
        record['iter'] = runner.iter + 1
        self.iterations.append(record)

    def after_train_epoch(self, runner):
        weights = {
            k.split('/', 1)[1]: v
            for k, v in runner.message_hub.runtime_info.items()
            if k.startswith('sb_weight/')
        }
        self.epochs.append(dict(epoch=runner.epoch + 1, sb_weight=weights))


#: (title prefix, cls loss key, box loss key, diagnostics prefix) of each
#: aLRP head a detector may log; the RPN's losses include its head weight
ALRP_HEAD_KEYS = (('', 'loss_cls', 'loss_bbox', ''),
                  ('weighted RPN ', 'loss_rpn_cls', 'loss_rpn_bbox', 'rpn_'))


def plot(curves: CurvesHook, path: str) -> None:
    its = curves.iterations
    x = [r['iter'] for r in its]
    heads = [keys for keys in ALRP_HEAD_KEYS
             if f'{keys[3]}sb_weight' in its[0]]
    fig, axes = plt.subplots(1, 3 if heads else 1, figsize=(15 if heads else
                                                            5, 4),
                             squeeze=False)
    ax = axes[0][0]
    for title, cls_key, box_key, prefix in heads:
        sb_key = f'{prefix}sb_weight'
        ax.plot(x, [r[cls_key] for r in its], label=f'{title}L_cls (aLRP)')
        ax.plot(x, [r[box_key] / r[sb_key] for r in its],
                label=f'{title}L_loc (aLRP, before SB)')
        ax.plot(x, [r[cls_key] + r[box_key] / r[sb_key] for r in its],
                label=f'{title}L_aLRP', alpha=0.6)
    if not heads:
        for key in sorted(k for k in its[0] if k.startswith('loss_')):
            ax.plot(x, [r[key] for r in its], label=key)
    ax.set_xlabel('iteration')
    ax.set_title('loss components')
    ax.legend()
    if heads:
        ax = axes[0][1]
        for name in curves.epochs[0]['sb_weight']:
            ax.plot([0] + [e['epoch'] for e in curves.epochs],
                    [curves.initial_sb_weights[name]] +
                    [e['sb_weight'][name] for e in curves.epochs],
                    marker='o', label=name)
        ax.set_xlabel('epoch')
        ax.set_title('SB weight (set at each epoch end)')
        ax.legend()
        ax = axes[0][2]
        for title, _, _, prefix in heads:
            ax.plot(x, [r[f'{prefix}grad_balance'] for r in its],
                    label=f'{title}aLRP'.strip())
        ax.set_ylim(0.9, 1.1)
        ax.set_xlabel('iteration')
        ax.set_title('sum |grad| negatives / positives (Theorem 2: 1)')
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG)
    parser.add_argument('--work-dir', help='default: work_dirs/demo_<config>')
    parser.add_argument('--epochs', type=int, help='override max_epochs')
    parser.add_argument('--data-root', default='data/synthetic')
    args = parser.parse_args()
    trust_mmengine_checkpoints()

    cfg = Config.fromfile(args.config)
    name = osp.splitext(osp.basename(args.config))[0]
    cfg.work_dir = args.work_dir or osp.join('work_dirs', f'demo_{name}')
    if args.epochs:
        cfg.train_cfg.max_epochs = args.epochs
    synthetic = cfg.get('synthetic_data', {})
    ann_file = osp.join(args.data_root, 'annotations', 'instances_val.json')
    if not osp.exists(ann_file):
        print(f'Generating the synthetic dataset in {args.data_root} ...')
        generate_dataset(args.data_root, **synthetic)
    results_prefix = osp.join(cfg.work_dir, 'detections')
    cfg.test_evaluator.outfile_prefix = results_prefix

    curves = CurvesHook()
    runner = Runner.from_cfg(cfg)
    runner.register_hook(curves)
    start = time.time()
    runner.train()
    train_minutes = (time.time() - start) / 60
    metrics = runner.test()

    os.makedirs(cfg.work_dir, exist_ok=True)
    plot_path = osp.join(cfg.work_dir, 'curves.png')
    plot(curves, plot_path)
    summary = dict(config=args.config, train_minutes=round(train_minutes, 2),
                   iterations=len(curves.iterations), metrics=metrics,
                   sb_weight_per_epoch=curves.epochs)
    with open(osp.join(cfg.work_dir, 'curves.json'), 'w') as f:
        json.dump(dict(summary, per_iteration=curves.iterations), f)
    print('\n==== demo finished ====')
    print(f'trained {len(curves.iterations)} iterations in '
          f'{train_minutes:.1f} min')
    print('COCO on the synthetic val set: ' + ', '.join(
        f'{k.split("/")[-1]} {v:.3f}' for k, v in metrics.items()
        if k.split('/')[-1] in ('bbox_mAP', 'bbox_mAP_50', 'bbox_mAP_75')))
    print(f'detections (COCO json): {results_prefix}.bbox.json')
    print(f'plots:                  {plot_path}')
    print(f'curves and metrics:     {osp.join(cfg.work_dir, "curves.json")}')
    print(f'checkpoints and logs:   {cfg.work_dir}')


if __name__ == '__main__':
    main()
