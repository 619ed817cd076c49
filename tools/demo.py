"""The demo: synthetic data -> train the tiny aLRP detector -> COCO AP.

    python tools/demo.py [--config CONFIG] [--work-dir DIR] [--epochs N]
        [--regenerate]

Generates the config's synthetic shapes dataset in its data_root (once; data
already there must be what the config's ``synthetic_data`` describes, else
the demo stops and says what differs), trains the config (CPU, or GPU where
present), evaluates COCO AP on the synthetic validation set, writes the
detections as COCO json, plots the aLRP components per iteration, the SB
weight per epoch and the gradient balance, and draws a few validation
images with their ground truth and detections.
"""
import argparse
import json
import os
import os.path as osp
import shutil
import time

import matplotlib
import mmcv
import numpy as np
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.runner import Runner

from alrp_mmdet.datasets import check_dataset, generate_dataset
from alrp_mmdet.models.losses import find_alrp_losses
from alrp_mmdet.utils import check_data_files, complete_config
from alrp_mmdet.visualization import CaptionedDetLocalVisualizer

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
        # the total 'loss' still carries its graph: detach it first
        record = {k: float(torch.as_tensor(v).detach())
                  for k, v in outputs.items()}
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
#: (title prefix, loss key prefix, diagnostics prefix) of each RS head
RS_HEAD_KEYS = (('', 'loss_', ''), ('weighted RPN ', 'loss_rpn_', 'rpn_'))


def plot(curves: CurvesHook, path: str) -> None:
    """Loss components per iteration; for aLRP heads the SB weight per
    epoch, for RS heads the box-loss balancing factor per iteration; the
    gradient balance of every ranking head."""
    its = curves.iterations
    x = [r['iter'] for r in its]
    alrp = [keys for keys in ALRP_HEAD_KEYS
            if f'{keys[3]}sb_weight' in its[0]]
    rs = [keys for keys in RS_HEAD_KEYS if f'{keys[2]}bbox_weight' in its[0]]
    ranking = bool(alrp or rs)
    fig, axes = plt.subplots(1, 3 if ranking else 1,
                             figsize=(15 if ranking else 5, 4), squeeze=False)
    ax = axes[0][0]
    for title, cls_key, box_key, prefix in alrp:
        sb_key = f'{prefix}sb_weight'
        ax.plot(x, [r[cls_key] for r in its], label=f'{title}L_cls (aLRP)')
        ax.plot(x, [r[box_key] / r[sb_key] for r in its],
                label=f'{title}L_loc (aLRP, before SB)')
        ax.plot(x, [r[cls_key] + r[box_key] / r[sb_key] for r in its],
                label=f'{title}L_aLRP', alpha=0.6)
    for title, loss_prefix, _ in rs:
        for term in ('rank', 'sort', 'bbox'):
            ax.plot(x, [r[f'{loss_prefix}{term}'] for r in its],
                    label=f'{title}{loss_prefix}{term}')
    if not ranking:
        for key in sorted(k for k in its[0] if k.startswith('loss_')):
            ax.plot(x, [r[key] for r in its], label=key)
    ax.set_xlabel('iteration')
    ax.set_ylabel('loss value')
    ax.set_title('loss components')
    ax.legend()
    if not ranking:
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        plt.close(fig)
        return
    ax = axes[0][1]
    if alrp:
        for name in curves.epochs[0]['sb_weight']:
            ax.plot([0] + [e['epoch'] for e in curves.epochs],
                    [curves.initial_sb_weights[name]] +
                    [e['sb_weight'][name] for e in curves.epochs],
                    marker='o', label=name)
        ax.set_xlabel('epoch')
        ax.set_ylabel('SB weight')
        ax.set_title('SB weight (set at each epoch end)')
    for title, _, prefix in rs:
        ax.plot(x, [r[f'{prefix}bbox_weight'] for r in its],
                label=f'{title}RS'.strip())
        ax.set_xlabel('iteration')
        ax.set_ylabel('RS value / L_box')
        ax.set_ylim(bottom=0)
        ax.set_title('box-loss balancing factor')
    ax.legend()
    ax = axes[0][2]
    for title, _, _, prefix in alrp:
        ax.plot(x, [r[f'{prefix}grad_balance'] for r in its],
                label=f'{title}aLRP'.strip())
    for title, _, prefix in rs:
        ax.plot(x, [r[f'{prefix}grad_balance'] for r in its],
                label=f'{title}RS ranking part'.strip())
    ax.set_ylim(0.9, 1.1)
    ax.set_xlabel('iteration')
    ax.set_ylabel('sum |grad| negatives / sum |grad| positives')
    ax.set_title('gradient balance (Theorem 2: 1)')
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def save_detections_picture(runner: Runner, path: str, num_images: int = 6,
                            score_thr: float = 0.3) -> None:
    """The first validation images with their ground truth (left) and the
    detections scoring above ``score_thr`` (right), captioned and enlarged
    by :class:`~alrp_mmdet.visualization.CaptionedDetLocalVisualizer`, one
    image per row."""
    visualizer = CaptionedDetLocalVisualizer(name='demo_detections',
                                             line_width=2)
    visualizer.dataset_meta = runner.test_dataloader.dataset.metainfo
    model = runner.model
    model.eval()
    rows = []
    for data in runner.test_dataloader:
        with torch.no_grad():
            samples = model.test_step(data)
        for sample in samples[:num_images - len(rows)]:
            image = mmcv.imread(sample.img_path, channel_order='rgb')
            visualizer.add_datasample('detections', image, sample,
                                      pred_score_thr=score_thr)
            rows.append(visualizer.get_image())
        if len(rows) == num_images:
            break
    mmcv.imwrite(mmcv.rgb2bgr(np.concatenate(rows)), path)


def prepare_data(cfg: Config, regenerate: bool) -> None:
    """Write the config's synthetic data in its data_root, or check that
    what is there is that data."""
    data_root = cfg.train_dataloader.dataset.data_root
    synthetic = dict(cfg.get('synthetic_data', {}))
    if regenerate and osp.isdir(data_root):
        shutil.rmtree(data_root)
    if osp.isdir(data_root):
        try:
            check_dataset(data_root, **synthetic)
        except ValueError as error:
            raise SystemExit(f'{error}.\nRun again with --regenerate to '
                             f'replace {data_root}, or use another data_root.')
    else:
        print(f'Generating the synthetic dataset in {data_root} ...')
        generate_dataset(data_root, **synthetic)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--config', default=DEFAULT_CONFIG)
    parser.add_argument('--work-dir', help='default: work_dirs/demo_<config>')
    parser.add_argument('--epochs', type=int, help='override max_epochs')
    parser.add_argument('--regenerate', action='store_true',
                        help="delete the config's data_root and write the "
                        'synthetic data again')
    args = parser.parse_args()

    cfg = Config.fromfile(args.config)
    complete_config(cfg)
    name = osp.splitext(osp.basename(args.config))[0]
    cfg.work_dir = args.work_dir or osp.join('work_dirs', f'demo_{name}')
    if args.epochs:
        cfg.train_cfg.max_epochs = args.epochs
    prepare_data(cfg, args.regenerate)
    check_data_files(
        cfg, ['train_dataloader', 'val_dataloader', 'test_dataloader'])
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
    picture_path = osp.join(cfg.work_dir, 'detections.png')
    save_detections_picture(runner, picture_path)
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
    print(f'detections picture:     {picture_path}')
    print(f'curves and metrics:     {osp.join(cfg.work_dir, "curves.json")}')
    print(f'checkpoints and logs:   {cfg.work_dir}')


if __name__ == '__main__':
    main()
