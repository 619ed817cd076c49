"""One-go check of the ranking losses and heads on a CUDA machine.

Made for the GPU machine this project may be lent (one H100 or H200, 16
cores, Python 3.12, torch 2.11 with CUDA 13 and nvcc; no mmcv, mmengine,
mmdet or pycocotools, no network) and a budget of 15 minutes of device
time, start-up included. Here, fetch the wheels once
(``bash tools/analysis_tools/cuda_check_wheels.sh``, into the ignored folder
``.cuda_wheels``); there, from the repository root with that folder
carried::

    python tools/analysis_tools/cuda_check.py --wheels .cuda_wheels \\
        --out $OUT/cuda_check.md

Steps, each appended to the markdown report as soon as it is done, so that
a run cut short keeps what it measured:

0. Set-up (only when mmdet cannot be imported and ``--wheels`` is given):
   pip installs the carried wheels (no index, no dependencies: the machine
   already has numpy, scipy, matplotlib, opencv and the like) and builds
   mmcv 2.1.0 from its source with its CPU ops only (the GPU is hidden from
   the build; about a minute on 16 cores). Its CUDA ops would take longer
   to build than the whole budget. What that leaves out: mmcv's CUDA
   kernels (NMS, RoIAlign, deformable convolution, mmcv's focal-loss
   kernel). Nothing below needs them: ATSS trains without them and the
   focal baselines run mmdet's pure-PyTorch focal loss (one-hot targets);
   inference (NMS) is not checked. mmcv must come first, since mmdet, into
   whose registries the package's losses register, imports it.
1. The loss grid of ``benchmark_loss.py`` on the device: focal, aLRP and RS
   forward + backward, their ratios, the loops over positives
   (extrapolated) and peak memory.
2. aLRP, AP Loss and RS Loss on the device against the same inputs on CPU:
   values and gradients, largest relative difference.
3. One training iteration (forward, backward, SGD step; 2 images of 512 px,
   80 classes, ResNet-50 from scratch) of focal ATSS, aLRP ATSS and RS ATSS
   in float32 and under automatic mixed precision (mmengine's
   ``AmpOptimWrapper``, as ``tools/train.py --amp``) with fp16 and bf16:
   losses, finiteness, gradient norm, seconds.
4. ``benchmark_train.py``'s training-step table (seconds per step, ratio to
   the baseline, peak memory) of the families in ``CUDA_FAMILIES`` at COCO
   scale (R-50, 2 images of 800x1333 padded to 800x1344, 80 classes).

``--device cpu --small`` runs every step at toy sizes on CPU (fp16 is left
out there, bf16 autocast stands in for AMP); the tests do that.
"""
import argparse
import glob
import importlib
import importlib.util
import os
import os.path as osp
import subprocess
import sys
import time
from contextlib import nullcontext

import torch

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
#: the wheels the set-up installs, as pip names (the helper downloads them)
WHEELS = ('addict', 'mmdet', 'mmengine', 'platformdirs', 'pycocotools',
          'shapely', 'termcolor', 'terminaltables', 'yapf')
MMCV_SOURCE = 'mmcv-2.1.0.tar.gz'
DETECTORS = (
    ('focal ATSS', 'mmdet::atss/atss_r50_fpn_1x_coco.py'),
    ('aLRP ATSS', 'configs/alrp_loss/'
     'alrp_loss_retinanet_r50_fpn_ATSS_100e_coco500.py'),
    ('RS ATSS', 'configs/rank_sort_loss/ranksort_atss_r50_fpn_1x_coco.py'),
)

#: step 4's families: those whose training needs no mmcv CUDA kernel
CUDA_FAMILIES = ('ATSS', 'RetinaNet', 'FoveaBox', 'PAA', 'FCOS', 'RTMDet')


class Report:
    """The markdown report, written to stdout and appended to a file."""

    def __init__(self, path):
        self.path = path
        if path:
            os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
            open(path, 'w').close()

    def write(self, text=''):
        print(text, flush=True)
        if self.path:
            with open(self.path, 'a') as f:
                f.write(text + '\n')


def set_up(wheels, report):
    """Install the carried wheels and build mmcv with CPU ops (step 0)."""
    try:
        importlib.import_module('mmdet.models')
        report.write('Set-up: mmcv, mmengine and mmdet already importable.')
        return
    except ImportError:
        if not wheels:
            raise
    start = time.perf_counter()
    pip = [sys.executable, '-m', 'pip', 'install', '--no-index', '--no-deps',
           '--disable-pip-version-check', '-q']
    names = list(WHEELS)
    if importlib.util.find_spec('pkg_resources') is None:
        names.append('setuptools')  # mmengine resolves mmdet:: with it
    files = [path for name in names
             for path in glob.glob(osp.join(wheels, f'{name}-*.whl'))]
    subprocess.run(pip + files, check=True)
    installed = time.perf_counter() - start
    env = dict(os.environ, CUDA_VISIBLE_DEVICES='', FORCE_CUDA='0',
               MMCV_WITH_OPS='1', MAX_JOBS=str(os.cpu_count() or 1))
    subprocess.run(pip + ['--no-build-isolation',
                          osp.join(wheels, MMCV_SOURCE)], check=True, env=env)
    importlib.invalidate_caches()
    report.write(f'Set-up: wheels installed in {installed:.0f} s, mmcv 2.1.0 '
                 'built with CPU ops in '
                 f'{time.perf_counter() - start - installed:.0f} s.')


def loss_grid(device, small, report):
    """Step 1: the benchmark grid on ``device``."""
    import benchmark_loss
    sizes = (2e4, 1e5) if small else benchmark_loss.GRID_SIZES
    num_pos = (50, 300) if small else benchmark_loss.GRID_NUM_POS
    report.write(f'## Loss grid ({benchmark_loss.describe_device(device)})')
    report.write()
    report.write('Focal loss: mmdet `FocalLoss` with one-hot targets (its '
                 'pure-PyTorch path).')
    report.write()
    report.write(benchmark_loss.markdown_header())
    for size in sizes:
        for count in num_pos:
            row = benchmark_loss.measure(
                size, count, device, repeats=2 if small else 5,
                loop_positives=2 if small else 20, memory=not small
                or device.type == 'cuda', one_hot_focal=True)
            report.write(benchmark_loss.markdown_row(row))
    report.write()


def device_vs_cpu(device, small, report):
    """Step 2: values and gradients on ``device`` against CPU."""
    from benchmark_loss import make_inputs

    from alrp_mmdet.models.losses import alrp_loss, ap_loss, rank_sort_loss
    losses = dict(
        aLRP=lambda logits, inputs: sum(
            alrp_loss(logits, inputs['flat_labels'], inputs['loc_errors'])),
        AP=lambda logits, inputs: ap_loss(logits, inputs['flat_labels']),
        RS=lambda logits, inputs: sum(
            rank_sort_loss(logits, inputs['flat_labels'],
                           inputs['loc_errors'])))
    report.write(f'## {device.type} against CPU')
    report.write()
    report.write('| loss | M | P | value | relative value difference | '
                 'largest gradient difference / largest gradient |')
    report.write('|---|---|---|---|---|---|')
    for size, num_pos in ((2e4, 50), ) if small else ((1e6, 2000),
                                                      (4e6, 10000)):
        inputs = {
            'cpu': make_inputs(int(size), num_pos, 'cpu'),
            device.type: make_inputs(int(size), num_pos, device)
        }
        for name, loss in losses.items():
            results = {}
            for where, batch in inputs.items():
                logits = batch['logits'].view(-1).detach().requires_grad_()
                value = loss(logits, batch)
                value.backward()
                results[where] = (value.item(), logits.grad.cpu())
            (value, grad), (other, other_grad) = (results['cpu'],
                                                  results[device.type])
            report.write(
                f'| {name} | {int(size):,} | {num_pos:,} | {value:.6f} | '
                f'{abs(other - value) / abs(value):.1e} | '
                f'{(other_grad - grad).abs().max() / grad.abs().max():.1e} |')
    report.write()


def training_iteration(config_path, precision, device, small):
    """One forward + backward + SGD step of ``config_path``'s model on two
    random images (``model.train_step``, as the training loop calls it);
    returns (total loss, other losses, gradient norm, seconds)."""
    from mmengine.config import Config
    from mmengine.logging import MessageHub
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope

    from mmdet.registry import MODELS
    from mmdet.testing import demo_mm_inputs
    init_default_scope('mmdet')
    if config_path.startswith('mmdet::'):
        import mmdet
        cfg = Config.fromfile(
            osp.join(osp.dirname(mmdet.__file__), '.mim', 'configs',
                     config_path[len('mmdet::'):]))
    else:
        cfg = Config.fromfile(osp.join(REPO, config_path))
    cfg.model.backbone.init_cfg = None
    message_hub = MessageHub.get_instance('cuda_check')
    message_hub.update_info('iter', 0)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.to(device).train()
    # an infinite clipping norm clips nothing but logs the gradient norm
    # (after unscaling under AMP) before the wrapper zeroes the gradients
    optim = dict(type='OptimWrapper',
                 optimizer=dict(type='SGD', lr=0.01, momentum=0.9),
                 clip_grad=dict(max_norm=float('inf')))
    autocast = nullcontext()
    if precision != 'float32' and device.type == 'cuda':
        optim.update(type='AmpOptimWrapper', loss_scale='dynamic',
                     dtype=precision)
    elif precision != 'float32':
        autocast = torch.autocast('cpu', dtype=getattr(torch, precision))
    optim_wrapper = build_optim_wrapper(model, optim)
    size = 128 if small else 512
    packed = demo_mm_inputs(2, [(3, size, size)] * 2, num_items=[5, 8],
                            num_classes=80)
    if device.type == 'cuda':
        torch.cuda.synchronize()
    start = time.perf_counter()
    with autocast:
        log_vars = model.train_step(packed, optim_wrapper)
    if device.type == 'cuda':
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    norm = message_hub.get_scalar('train/grad_norm').current()
    losses = {k: float(torch.as_tensor(v).detach())
              for k, v in log_vars.items() if 'loss' in k}
    return losses.pop('loss'), losses, norm, seconds


def one_hot_focal_targets():
    """Make mmdet's FocalLoss run its pure-PyTorch path on every device:
    given one-hot targets it does not call mmcv's CUDA kernel, which the
    set-up does not build. Values are the same (mmdet converts the labels
    in the same way on CPU)."""
    from mmdet.models.losses import FocalLoss
    forward = FocalLoss.forward
    if getattr(forward, 'one_hot_targets', False):
        return

    def with_one_hot(self, pred, target, *args, **kwargs):
        if target.dim() == 1 and pred.dim() == 2:
            num_classes = pred.size(1)
            target = torch.nn.functional.one_hot(
                target, num_classes + 1)[:, :num_classes].to(pred.dtype)
        return forward(self, pred, target, *args, **kwargs)

    with_one_hot.one_hot_targets = True
    FocalLoss.forward = with_one_hot


def training(device, small, report):
    """Step 3: one training iteration per detector and precision."""
    import alrp_mmdet  # noqa: F401 registers the package's modules
    one_hot_focal_targets()
    precisions = ('float32', 'bfloat16') if device.type == 'cpu' else (
        'float32', 'float16', 'bfloat16')
    report.write(f'## One training iteration on {device.type} (2 images, '
                 f'{128 if small else 512} px, 80 classes)')
    report.write()
    report.write('| detector | precision | total loss | losses | finite | '
                 'gradient norm | seconds |')
    report.write('|---|---|---|---|---|---|---|')
    for name, config in DETECTORS:
        for precision in precisions:
            try:
                total, losses, norm, seconds = training_iteration(
                    config, precision, device, small)
            except Exception as error:  # reported, the next one still runs
                report.write(f'| {name} | {precision} | failed: '
                             f'{type(error).__name__}: {error} | | | | |')
                continue
            finite = all(
                torch.isfinite(torch.tensor(v)) for v in [total, norm,
                                                          *losses.values()])
            parts = ', '.join(f'{k} {v:.4g}' for k, v in losses.items())
            report.write(f'| {name} | {precision} | {total:.4g} | {parts} | '
                         f'{"yes" if finite else "NO"} | {norm:.4g} | '
                         f'{seconds:.2f} |')
    report.write()


def training_steps(device, small, report):
    """Step 4: ``benchmark_train.py``'s training-step table of the dense
    families (their baselines and ranking detectors; DINO's deformable
    attention and the R-CNNs' RoIAlign need mmcv's CUDA kernels) at COCO
    scale: seconds per step, ratio to the baseline, peak memory."""
    import benchmark_train
    one_hot_focal_targets()
    scale = 'demo' if small else 'coco'
    families = ('ATSS',) if small else CUDA_FAMILIES
    report.write(f'## Training steps on {device.type} ({scale} scale, '
                 '`benchmark_train.py`)')
    for family in families:
        args = benchmark_train.parse_args(
            ['--family', family, '--scale', scale, '--device', device.type,
             '--steps', '1' if small else '5'])
        report.write()
        try:
            timings = benchmark_train.benchmark(
                benchmark_train.FAMILIES[family][scale], args, device.type)
        except Exception as error:  # reported, the next one still runs
            report.write(f'{family}: failed: {type(error).__name__}: '
                         f'{error}')
            continue
        report.write(f'{family}:')
        report.write()
        report.write(benchmark_train.markdown_table(timings))
    report.write()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--small', action='store_true',
                        help='toy sizes (for a CPU run in the tests)')
    parser.add_argument('--wheels', help='folder of the carried wheels and '
                        'mmcv source (set-up when mmdet is missing)')
    parser.add_argument('--out', help='markdown report (appended as the '
                        'steps finish)')
    parser.add_argument('--steps', nargs='+', type=int,
                        default=[1, 2, 3, 4], choices=[1, 2, 3, 4],
                        help='which checks to run')
    args = parser.parse_args()
    sys.path[:0] = [REPO, osp.dirname(osp.abspath(__file__))]
    device = torch.device(args.device)
    report = Report(args.out)
    start = time.perf_counter()
    report.write(f'# CUDA check ({time.strftime("%Y-%m-%d")}, torch '
                 f'{torch.__version__}, {torch.get_num_threads()} CPU threads'
                 + (f', {torch.cuda.get_device_name(device)}'
                    if device.type == 'cuda' else '') + ')')
    report.write()
    set_up(args.wheels, report)
    report.write()
    steps = {1: loss_grid, 2: device_vs_cpu, 3: training,
             4: training_steps}
    for step in args.steps:
        steps[step](device, args.small, report)
    report.write(f'Total: {time.perf_counter() - start:.0f} s.')


if __name__ == '__main__':
    main()
