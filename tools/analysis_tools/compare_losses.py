"""Compare losses of one detector family on your data: train each loss's
own-data config for several seeds with ``tools/train.py``, test the last
checkpoint with ``tools/test.py`` and ``LRPMetric``, and write one table
(AP, AP50, AP75, AP90, oLRP and its components, seconds per iteration;
mean +- standard deviation over the seeds) as markdown and a picture.

    python tools/analysis_tools/compare_losses.py \\
        configs/my_data/coco_format_data.py --family atss \\
        --losses focal gfl vfnet tood alrp rs --seeds 0 1 2 \\
        --work-dir work_dirs/compare_atss

DATA_CONFIG is a data config of the ``configs/own_data/coco_format_data.py``
kind (``data_root``, ``classes``, files, ``image_size``, ``batch_size``).
The models are the tiny ones of ``configs/own_data/`` (``LOSSES`` below
names them); each run uses the repository's config with your data config
in place of ``coco_format_data.py`` (written under WORK_DIR/configs/).
Every config is checked (data settings, annotation files, images) before
the first run. A run's result is kept in WORK_DIR/runs/LOSS_seedS/
result.json: a second call skips finished runs and resumes an interrupted
one from its last checkpoint, and refuses either if its resolved config
has changed since. WORK_DIR/comparison.md and comparison.png
hold the table and the picture; ``--cfg-options`` go to every run (for
example ``train_cfg.max_epochs=24``).
"""
import argparse
import glob
import hashlib
import json
import math
import os
import os.path as osp
import shutil
import statistics
import subprocess
import sys
import time
from typing import Dict, List, NamedTuple, Optional

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
OWN_DATA = osp.join(REPO, 'configs', 'own_data')

#: family -> loss name -> the own-data config that trains it
LOSSES = {
    'atss': dict(focal='atss_focal', gfl='gfl', vfnet='vfnet', tood='tood',
                 alrp='alrp_atss', rs='rs_atss'),
    'fcos': dict(focal='fcos_focal', alrp='alrp_fcos', rs='rs_fcos'),
    'rtmdet': dict(qfl='rtmdet_qfl', alrp='alrp_rtmdet', rs='rs_rtmdet'),
    'dino': dict(focal='dino_focal', qfl='dino_qfl', alrp='alrp_dino',
                 rs='rs_dino'),
    'faster_rcnn': dict(ce='faster_rcnn', alrp='alrp_faster_rcnn',
                        rs='rs_faster_rcnn'),
    'mask_rcnn': dict(ce='mask_rcnn', rs='rs_mask_rcnn'),
}

#: table column -> the key ``LRPMetric`` logs it under; AP and oLRP in %
METRICS = {
    'AP': 'lrp/bbox_mAP',
    'AP50': 'lrp/bbox_mAP_50',
    'AP75': 'lrp/bbox_mAP_75',
    'AP90': 'lrp/bbox_AP90',
    'oLRP': 'lrp/oLRP',
    'oLRP loc': 'lrp/oLRP_loc',
    'oLRP FP': 'lrp/oLRP_FP',
    'oLRP FN': 'lrp/oLRP_FN',
}
#: columns where lower is better
LOWER_IS_BETTER = ('oLRP', 'oLRP loc', 'oLRP FP', 'oLRP FN', 's / iter')


class Run(NamedTuple):
    """One training run of the grid; ``config_digest`` is the SHA-256 of
    its resolved config (data config, options and the repository's model
    config), which a kept result must match."""
    loss: str
    seed: int
    config: str
    config_digest: str
    work_dir: str

    @property
    def result_file(self) -> str:
        return osp.join(self.work_dir, 'result.json')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('data_config', help='a data config of the '
                        'configs/own_data/coco_format_data.py kind')
    parser.add_argument('--family', required=True, choices=LOSSES)
    parser.add_argument('--losses', nargs='+',
                        help='default: every loss of the family')
    parser.add_argument('--seeds', nargs='+', type=int, default=[0, 1, 2])
    parser.add_argument('--work-dir', required=True)
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value pairs for every run, as '
                        'tools/train.py takes them')
    args = parser.parse_args(argv)
    known = LOSSES[args.family]
    args.losses = args.losses or list(known)
    unknown = [loss for loss in args.losses if loss not in known]
    if unknown:
        parser.error(f'{args.family} has no loss {unknown}; its losses: '
                     f'{", ".join(known)}')
    if len(set(args.losses)) < len(args.losses) or len(set(
            args.seeds)) < len(args.seeds):
        parser.error('--losses and --seeds must not repeat a value')
    if not osp.isfile(args.data_config):
        parser.error(f'no data config at {args.data_config}')
    return args


def write_configs(args: argparse.Namespace) -> Dict[str, str]:
    """The own-data configs, copied under WORK_DIR/configs/own_data/ next
    to a ``coco_format_data.py`` that inherits DATA_CONFIG (their
    ``../_base_/`` is the repository's; every one is copied, as a loss's
    config may inherit another's); returns loss -> config path of the
    requested losses."""
    folder = osp.join(args.work_dir, 'configs', 'own_data')
    os.makedirs(folder, exist_ok=True)
    base = osp.join(args.work_dir, 'configs', '_base_')
    if not osp.lexists(base):
        os.symlink(osp.join(REPO, 'configs', '_base_'), base)
    with open(osp.join(folder, 'coco_format_data.py'), 'w') as f:
        f.write('# written by tools/analysis_tools/compare_losses.py\n'
                f'_base_ = {osp.abspath(args.data_config)!r}\n')
    for path in glob.glob(osp.join(OWN_DATA, '*_own_data.py')):
        shutil.copyfile(path, osp.join(folder, osp.basename(path)))
    return {
        loss: osp.join(folder, f'{LOSSES[args.family][loss]}_tiny_own_data.py')
        for loss in args.losses
    }


def check_configs(configs: Dict[str, str],
                  cfg_options: List[str]) -> Dict[str, str]:
    """Refuse, before any training, what ``tools/train.py`` would refuse:
    data settings that do not reach the dataloaders and annotation files
    or images that do not match them. Returns loss -> digest of the
    resolved config."""
    from mmengine.config import Config, DictAction

    from alrp_mmdet.utils import check_data_files, complete_config
    options = {}
    if cfg_options:
        parser = argparse.ArgumentParser()
        parser.add_argument('--cfg-options', nargs='+', action=DictAction)
        options = parser.parse_args(['--cfg-options', *cfg_options
                                     ]).cfg_options
    digests = {}
    for loss, config in configs.items():
        cfg = Config.fromfile(config)
        cfg.merge_from_dict(options)
        digests[loss] = hashlib.sha256(
            cfg.pretty_text.encode()).hexdigest()
        complete_config(cfg)
        check_data_files(cfg, ['train_dataloader', 'test_dataloader'])
    return digests


def plan_runs(args: argparse.Namespace, configs: Dict[str, str],
              digests: Dict[str, str]) -> List[Run]:
    """Seed by seed, every loss: a grid cut short holds whole seeds."""
    return [
        Run(loss, seed, configs[loss], digests[loss],
            osp.join(args.work_dir, 'runs', f'{loss}_seed{seed}'))
        for seed in args.seeds for loss in args.losses
    ]


def same_setting(run: Run, digest: Optional[str], what: str) -> None:
    """Refuse to keep or resume a run made with another config."""
    if digest != run.config_digest:
        raise RuntimeError(
            f'{what} of {run.work_dir} was made with another config (data '
            'config, --cfg-options or the repository\'s model config '
            'changed since): remove that folder or use another --work-dir')


def run_tool(command: List[str], log_file: str) -> None:
    with open(log_file, 'a') as log:
        completed = subprocess.run([sys.executable, *command], stdout=log,
                                   stderr=subprocess.STDOUT)
    if completed.returncode != 0:
        raise RuntimeError(f'{" ".join(command[:2])} failed (exit '
                           f'{completed.returncode}); see {log_file}')


def latest_json(pattern: str, key: str) -> dict:
    """The last line holding ``key`` of the newest mmengine json log
    matching ``pattern``."""
    for path in sorted(glob.glob(pattern), key=osp.getmtime, reverse=True):
        with open(path) as f:
            lines = [json.loads(line) for line in f if line.strip()]
        found = [line for line in lines if key in line]
        if found:
            return found[-1]
    raise RuntimeError(f'no log line with {key!r} in {pattern}')


def seconds_per_iteration(work_dir: str) -> float:
    """Mean of the iteration times the training logged (mmengine's
    ``time``: data loading, forward, backward, optimiser step), over every
    log of the run (a resumed run has several), the first window of each
    left out where there are more (start-up)."""
    times = []
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data',
                                          'scalars.json'))):
        with open(path) as f:
            logged = [json.loads(line) for line in f if line.strip()]
        window = [line['time'] for line in logged
                  if 'time' in line and 'loss' in line]
        times += window[1:] or window
    if not times:
        raise RuntimeError(f'no training iteration logged in {work_dir}')
    return statistics.mean(times)


def train_and_test(run: Run, cfg_options: List[str]) -> dict:
    """Train (resuming from the run's last checkpoint, if any), test the
    last checkpoint with LRPMetric, write and return the result."""
    os.makedirs(run.work_dir, exist_ok=True)
    started = osp.join(run.work_dir, 'config_digest')
    if osp.isfile(started):
        with open(started) as f:
            same_setting(run, f.read().strip(), 'the checkpoint')
    else:
        with open(started, 'w') as f:
            f.write(run.config_digest)
    log_file = osp.join(run.work_dir, 'compare_losses.log')
    tools = osp.join(REPO, 'tools')
    run_tool([osp.join(tools, 'train.py'), run.config, '--work-dir',
              run.work_dir, '--resume', '--cfg-options',
              f'randomness.seed={run.seed}', *cfg_options], log_file)
    with open(osp.join(run.work_dir, 'last_checkpoint')) as f:
        checkpoint = f.read().strip()
    test_dir = osp.join(run.work_dir, 'test')
    run_tool([osp.join(tools, 'test.py'), run.config, checkpoint,
              '--work-dir', test_dir, '--cfg-options',
              'test_evaluator.type=LRPMetric', 'test_evaluator.metric=bbox',
              *cfg_options], log_file)
    logged = latest_json(osp.join(test_dir, '*', '*.json'),
                         METRICS['oLRP'])
    result = dict(
        loss=run.loss, seed=run.seed, config=run.config,
        config_digest=run.config_digest, checkpoint=checkpoint,
        # mmdet's CocoMetric logs no AP when no image has a detection
        metrics={column: 100 * logged.get(key, 0.0)
                 for column, key in METRICS.items()},
        seconds_per_iter=seconds_per_iteration(run.work_dir))
    with open(run.result_file, 'w') as f:
        json.dump(result, f, indent=1)
    return result


def defined(values: List[float]) -> List[float]:
    """The values that are numbers: an LRP component is undefined (NaN)
    where no class has a true positive (localisation, false positives)."""
    return [value for value in values if not math.isnan(value)]


def summary(values: List[float]) -> str:
    """Mean +- sample standard deviation of the defined values, with how
    many runs left a value undefined."""
    numbers = defined(values)
    undefined = (f' ({len(values) - len(numbers)} undefined)'
                 if len(numbers) < len(values) else '')
    if not numbers:
        return 'undefined'
    if len(numbers) == 1:
        return f'{numbers[0]:.1f}{undefined}'
    return (f'{statistics.mean(numbers):.1f} ± '
            f'{statistics.stdev(numbers):.1f}{undefined}')


def markdown(results: List[dict], args: argparse.Namespace) -> str:
    """One row per loss, mean +- sample standard deviation over the seeds
    (the single runs' AP in brackets); the best mean of each column in
    bold."""
    columns = [*METRICS, 's / iter']
    by_loss = {loss: [r for r in results if r['loss'] == loss]
               for loss in args.losses}
    values = {loss: {column: [r['metrics'][column] if column in METRICS
                              else r['seconds_per_iter'] for r in runs]
                     for column in columns}
              for loss, runs in by_loss.items() if runs}
    best = {}
    for column in columns:
        means = {loss: statistics.mean(defined(v[column]))
                 for loss, v in values.items() if defined(v[column])}
        pick = min if column in LOWER_IS_BETTER else max
        best[column] = pick(means, key=means.get) if means else None
    lines = [
        f'Family {args.family}, data {args.data_config}, seeds '
        f'{", ".join(map(str, args.seeds))}'
        + (f', options {" ".join(args.cfg_options)}'
           if args.cfg_options else '') + '. AP and oLRP in %; oLRP and '
        'its components, seconds per iteration: lower is better.', '',
        '| loss | config | runs | ' + ' | '.join(columns) + ' |',
        '|---|---|---|' + '---|' * len(columns)
    ]
    for loss, columns_of_loss in values.items():
        cells = []
        for column in columns:
            found = columns_of_loss[column]
            if column == 's / iter':
                cell = f'{statistics.mean(found):.3f}'
            else:
                cell = summary(found)
            if column == 'AP' and len(found) > 1:
                cell += ' (' + ', '.join(f'{v:.1f}' for v in found) + ')'
            if best[column] == loss and len(values) > 1:
                cell = f'**{cell}**'
            cells.append(cell)
        config = LOSSES[args.family][loss] + '_tiny_own_data.py'
        lines.append(f'| {loss} | `{config}` | {len(by_loss[loss])} | '
                     + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


def picture(results: List[dict], args: argparse.Namespace,
            path: str) -> None:
    """Bars of the mean over seeds per metric and loss, each seed a dot."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    shown = ('AP', 'AP50', 'AP75', 'AP90', 'oLRP')
    losses = [loss for loss in args.losses
              if any(r['loss'] == loss for r in results)]
    width = 0.8 / max(len(losses), 1)
    figure, axes = plt.subplots(figsize=(1.6 * len(shown) + 3, 4))
    for index, loss in enumerate(losses):
        runs = [r for r in results if r['loss'] == loss]
        positions = [m + (index - (len(losses) - 1) / 2) * width
                     for m in range(len(shown))]
        means = [statistics.mean(defined([r['metrics'][m] for r in runs])
                                 or [0.0]) for m in shown]
        axes.bar(positions, means, width, label=loss)
        for position, metric in zip(positions, shown):
            seeds = [r['metrics'][metric] for r in runs]
            axes.plot([position] * len(seeds), seeds, 'k.', markersize=4)
    axes.set_xticks(range(len(shown)))
    axes.set_xticklabels([f'{m}{" (lower is better)" if m == "oLRP" else ""}'
                          for m in shown])
    axes.set_ylabel('%')
    axes.set_ylim(0, 100)
    axes.set_title(f'{args.family} on {args.data_config}: '
                   f'mean over seeds {", ".join(map(str, args.seeds))} '
                   '(dots: single seeds)', fontsize=9)
    axes.legend(fontsize=8, loc='upper left', bbox_to_anchor=(1, 1))
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def load_result(run: Run) -> Optional[dict]:
    if not osp.isfile(run.result_file):
        return None
    with open(run.result_file) as f:
        result = json.load(f)
    if (result.get('loss'), result.get('seed')) != (run.loss, run.seed):
        raise RuntimeError(f'{run.result_file} belongs to another run: '
                           f'{result.get("loss")}, seed {result.get("seed")}')
    same_setting(run, result.get('config_digest'), 'the result')
    return result


def main(argv=None) -> None:
    args = parse_args(argv)
    configs = write_configs(args)
    digests = check_configs(configs, args.cfg_options)
    runs = plan_runs(args, configs, digests)
    results, spent = [], []
    for number, run in enumerate(runs, 1):
        result = load_result(run)
        label = f'run {number} of {len(runs)}: {run.loss}, seed {run.seed}'
        if result is not None:
            print(f'{label}: done already ({run.result_file})', flush=True)
        else:
            left = len(runs) - number + 1
            eta = (f', about {statistics.mean(spent) * left / 60:.0f} min '
                   'left' if spent else '')
            print(f'{label}: training{eta}', flush=True)
            start = time.perf_counter()
            result = train_and_test(run, args.cfg_options)
            spent.append(time.perf_counter() - start)
            print(f'{label}: AP {result["metrics"]["AP"]:.1f}, oLRP '
                  f'{result["metrics"]["oLRP"]:.1f} '
                  f'({spent[-1] / 60:.1f} min)', flush=True)
        results.append(result)
    table = markdown(results, args)
    with open(osp.join(args.work_dir, 'comparison.md'), 'w') as f:
        f.write(table)
    picture(results, args, osp.join(args.work_dir, 'comparison.png'))
    print(table)
    print(f'written: {osp.join(args.work_dir, "comparison.md")} and '
          'comparison.png')


if __name__ == '__main__':
    main()
