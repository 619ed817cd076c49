"""Time focal loss, aLRP Loss and RS Loss on the same logits over a grid of
sizes, with the loops over positives of the official codes and peak memory.

Inputs look like an early-training RetinaNet batch: ``M`` logits laid out
as (anchors x 80 classes), ``P`` positive anchors (one positive class each,
so P is at most M / 80), 2 % ignored anchors, logits near the prior -4.6 so
that almost every negative lies inside a positive's window. Each loss runs
forward + backward on the same inputs (RS Loss uses the positives' random
"localisation errors" as IoU targets). The loops over positives (aLRP:
Algorithm A.1 as the official code runs it; RS: the released code's step
per positive) are timed on ``--loop-positives`` positives and extrapolated.
Peak memory is the extra memory one run takes on top of its inputs:
``max_memory_allocated`` on CUDA, on CPU the resident set sampled every
millisecond in a fresh process.

    python tools/analysis_tools/benchmark_loss.py        # the grid, CPU
    python tools/analysis_tools/benchmark_loss.py --sizes 1e6 \
        --num-pos 2000 --device cuda
"""
import argparse
import ctypes
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional

import torch

from alrp_mmdet.models.losses import alrp_loss, rank_sort_loss
from mmdet.models.losses import FocalLoss

NUM_CLASSES = 80
#: the grid of the issue: M logits x P positives
GRID_SIZES = (1e6, 4e6, 1e7)
GRID_NUM_POS = (500, 2000, 10000, 30000)


def make_inputs(num_logits, num_pos, device, seed=0):
    """The batch of the module docstring (tensors on ``device``)."""
    gen = torch.Generator().manual_seed(seed)
    num_anchors = num_logits // NUM_CLASSES
    if num_pos > num_anchors:
        raise ValueError(f'{num_pos} positive anchors do not fit in '
                         f'{num_logits:,} logits ({num_anchors:,} anchors x '
                         f'{NUM_CLASSES} classes)')
    logits = torch.randn(num_anchors, NUM_CLASSES, generator=gen) - 4.6
    anchor_labels = torch.full((num_anchors, ), NUM_CLASSES)
    pos = torch.randperm(num_anchors, generator=gen)[:num_pos]
    anchor_labels[pos] = torch.randint(0, NUM_CLASSES, (num_pos, ),
                                       generator=gen)
    ignored = torch.rand(num_anchors, generator=gen) < 0.02
    ignored[pos] = False
    flat = torch.zeros(num_anchors, NUM_CLASSES, dtype=torch.long)
    flat[pos, anchor_labels[pos]] = 1
    flat[ignored] = -1
    logits[pos, anchor_labels[pos]] += 1.0
    weights = (~ignored).float()
    loc_errors = torch.rand(num_pos, generator=gen)
    to = dict(device=device)
    return dict(logits=logits.to(**to), anchor_labels=anchor_labels.to(**to),
                label_weights=weights.to(**to), flat_labels=flat.view(-1).to(
                    **to), loc_errors=loc_errors.to(**to))


def one_hot_targets(inputs):
    """The focal targets as one-hot rows: mmdet's FocalLoss then runs its
    pure-PyTorch ``py_sigmoid_focal_loss`` on any device (without them it
    calls mmcv's CUDA kernel on CUDA)."""
    one_hot = torch.nn.functional.one_hot(inputs['anchor_labels'],
                                          NUM_CLASSES + 1)[:, :NUM_CLASSES]
    return dict(inputs, anchor_labels=one_hot.to(inputs['logits'].dtype))


def run_alrp(inputs):
    logits = inputs['logits'].view(-1).detach().requires_grad_()
    loss_cls, loss_loc = alrp_loss(logits, inputs['flat_labels'],
                                   inputs['loc_errors'])
    loss_cls.backward()


def run_rank_sort(inputs):
    logits = inputs['logits'].view(-1).detach().requires_grad_()
    loss_rank, loss_sort = rank_sort_loss(logits, inputs['flat_labels'],
                                          inputs['loc_errors'])
    (loss_rank + loss_sort).backward()


def run_focal(inputs, focal=FocalLoss(use_sigmoid=True)):
    logits = inputs['logits'].detach().requires_grad_()
    loss = focal(logits, inputs['anchor_labels'], inputs['label_weights'],
                 avg_factor=float(len(inputs['loc_errors'])))
    loss.backward()


def run_loop(inputs, max_positives, delta=1.0, eps=1e-5):
    """Algorithm A.1 as the official code runs it: one step per positive,
    each touching all relevant negatives. Returns the number of positives
    done (at most ``max_positives``; the caller extrapolates)."""
    logits = inputs['logits'].view(-1)
    labels = inputs['flat_labels']
    errors = inputs['loc_errors']
    fg = labels == 1
    fg_logits = logits[fg]
    threshold = fg_logits.min() - delta
    relevant_bg = (labels == 0) & (logits >= threshold)
    bg_logits = logits[relevant_bg]
    grad = torch.zeros_like(logits)
    fg_grad = torch.zeros_like(fg_logits)
    bg_grad = torch.zeros_like(bg_logits)
    order = torch.argsort(fg_logits)
    count = min(max_positives, len(order))
    for ii in order[:count]:
        h_pos = torch.clamp((fg_logits - fg_logits[ii]) / (2 * delta) + 0.5,
                            0, 1)
        h_pos[ii] = 0
        h_neg = torch.clamp((bg_logits - fg_logits[ii]) / (2 * delta) + 0.5,
                            0, 1)
        rank_pos = 1 + h_pos.sum()
        n_fp = h_neg.sum()
        rank = rank_pos + n_fp
        if n_fp > eps:
            fg_grad[ii] = -(torch.sum(h_pos * errors) + n_fp) / rank
            bg_grad += h_neg * (-fg_grad[ii] / n_fp)
    grad[fg] = fg_grad
    grad[relevant_bg] = bg_grad
    return count


def run_rank_sort_loop(inputs, max_positives, delta=0.5, eps=1e-10):
    """RS Loss as the released code runs it: one step per positive, each
    touching all positives and all relevant negatives. Returns the number
    of positives done (the caller extrapolates)."""
    logits = inputs['logits'].view(-1)
    labels = inputs['flat_labels']
    fg = labels == 1
    fg_logits = logits[fg]
    ious = inputs['loc_errors']
    relevant_bg = (labels == 0) & (logits >= fg_logits.min() - delta)
    bg_logits = logits[relevant_bg]
    fg_grad = torch.zeros_like(fg_logits)
    bg_grad = torch.zeros_like(bg_logits)
    order = torch.argsort(fg_logits)
    count = min(max_positives, len(order))
    for ii in order[:count]:
        h_pos = torch.clamp((fg_logits - fg_logits[ii]) / (2 * delta) + 0.5,
                            0, 1)
        h_neg = torch.clamp((bg_logits - fg_logits[ii]) / (2 * delta) + 0.5,
                            0, 1)
        rank_pos = h_pos.sum()
        n_fp = h_neg.sum()
        rank_error = n_fp / (rank_pos + n_fp)
        current = torch.sum(h_pos * (1 - ious)) / rank_pos
        higher = ious >= ious[ii]
        target = torch.sum(h_pos[higher] * (1 - ious[higher])) / torch.sum(
            h_pos[higher])
        lower = h_pos * (~higher)
        mass = lower.sum()
        if n_fp > eps:
            fg_grad[ii] -= rank_error
            bg_grad += h_neg * (rank_error / n_fp)
        if mass > eps:
            fg_grad[ii] -= current - target
            fg_grad += lower * ((current - target) / mass)
    return count


LOOPS = dict(alrp=run_loop, rank_sort=run_rank_sort_loop)


def fix_malloc_mmap_threshold(size=128 * 1024):
    """Make glibc mmap (and return to the OS) every large block, so that the
    resident set shows each tensor's allocation; by default freed blocks stay
    in the heap and hide later allocations."""
    if sys.platform.startswith('linux'):
        m_mmap_threshold = -3
        ctypes.CDLL('libc.so.6').mallopt(m_mmap_threshold, size)


def rss_bytes():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * 4096


class PeakMemory:
    """Extra peak memory of the block: CUDA allocator or sampled RSS."""

    def __init__(self, device):
        self.device = device

    def __enter__(self):
        if self.device.type == 'cuda':
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            self.base = torch.cuda.memory_allocated()
            return self
        self.base = self.peak = rss_bytes()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, rss_bytes())
            time.sleep(0.001)

    def __exit__(self, *exc):
        if self.device.type == 'cuda':
            torch.cuda.synchronize()
            self.extra = torch.cuda.max_memory_allocated() - self.base
        else:
            self.running = False
            self.thread.join()
            self.extra = max(self.peak, rss_bytes()) - self.base


def timed(fn, device, repeats):
    """Median seconds of ``fn`` over ``repeats`` runs after one warm-up."""
    fn()
    times = []
    for _ in range(repeats):
        if device.type == 'cuda':
            torch.cuda.synchronize()
        start = time.perf_counter()
        fn()
        if device.type == 'cuda':
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


METHODS = dict(focal=run_focal, alrp=run_alrp, rank_sort=run_rank_sort)
NAMES = dict(focal='focal', alrp='aLRP', rank_sort='RS')


def peak_memory(method, size, num_pos, device):
    """Extra peak memory (bytes) of one run of ``method``: on CUDA from the
    allocator, on CPU measured in a fresh process so that nothing freed
    earlier hides the allocations."""
    if device.type == 'cuda':
        inputs = make_inputs(int(size), num_pos, device)
        with PeakMemory(device) as memory:
            METHODS[method](inputs)
        return memory.extra
    out = subprocess.run(
        [sys.executable, __file__, '--memory-of', method, '--sizes',
         str(size), '--num-pos', str(num_pos), '--device', str(device)],
        check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1])


def measure_memory(args, device):
    fix_malloc_mmap_threshold()
    inputs = make_inputs(int(args.sizes[0]), args.num_pos[0], device)
    with PeakMemory(device) as memory:
        METHODS[args.memory_of](inputs)
    print(memory.extra)


@dataclass
class GridRow:
    """One grid point: seconds of forward + backward per loss, the loops'
    extrapolated seconds and peak extra memory (bytes) per loss."""
    size: int
    num_pos: int
    relevant_neg: int = 0
    seconds: Dict[str, float] = field(default_factory=dict)
    loop_seconds: Dict[str, float] = field(default_factory=dict)
    peak_bytes: Dict[str, int] = field(default_factory=dict)
    skipped: Optional[str] = None


def measure(size, num_pos, device, repeats=5, loop_positives=20,
            memory=True, one_hot_focal=False):
    """Measure one grid point (a :class:`GridRow`; ``skipped`` says why a
    point that cannot be laid out was left out)."""
    if num_pos > int(size) // NUM_CLASSES:
        return GridRow(int(size), num_pos,
                       skipped=f'P > M / {NUM_CLASSES} anchors')
    inputs = make_inputs(int(size), num_pos, device)
    focal_inputs = one_hot_targets(inputs) if one_hot_focal else inputs
    _, _, stats = alrp_loss(inputs['logits'].view(-1), inputs['flat_labels'],
                            inputs['loc_errors'], return_stats=True)
    row = GridRow(int(size), num_pos, stats.num_relevant_neg)
    for method, run in METHODS.items():
        batch = focal_inputs if method == 'focal' else inputs
        row.seconds[method] = timed(lambda: run(batch), device, repeats)
        if memory:
            row.peak_bytes[method] = peak_memory(method, size, num_pos,
                                                 device)
    for method, loop in LOOPS.items() if loop_positives else ():
        if device.type == 'cuda':
            torch.cuda.synchronize()
        start = time.perf_counter()
        done = loop(inputs, loop_positives)
        if device.type == 'cuda':
            torch.cuda.synchronize()
        row.loop_seconds[method] = (time.perf_counter() -
                                    start) * num_pos / done
    return row


COLUMNS = ('| M | P | relevant negatives | focal (s) | aLRP (s) | RS (s) '
           '| aLRP / focal | RS / focal | RS / aLRP | aLRP loop (s) '
           '| RS loop (s) | peak MB focal | peak MB aLRP | peak MB RS |')


def markdown_header():
    return COLUMNS + '\n|' + '---|' * (COLUMNS.count('|') - 1)


def markdown_row(row):
    """``row`` as a line of the table under :func:`markdown_header`."""
    if row.skipped:
        return (f'| {row.size:,} | {row.num_pos:,} | n/a: {row.skipped} |' +
                ' |' * (COLUMNS.count('|') - 4))
    sec, loop, peak = row.seconds, row.loop_seconds, row.peak_bytes

    def mb(method):
        return f'{peak[method] / 2**20:.0f}' if method in peak else ''

    def loop_cell(method):
        if method not in loop:
            return ''
        return f'{loop[method]:.0f}' if loop[method] >= 100 else \
            f'{loop[method]:.3g}'

    return (f'| {row.size:,} | {row.num_pos:,} | {row.relevant_neg:,} | '
            f'{sec["focal"]:.3f} | {sec["alrp"]:.3f} | '
            f'{sec["rank_sort"]:.3f} | {sec["alrp"] / sec["focal"]:.2f}x | '
            f'{sec["rank_sort"] / sec["focal"]:.2f}x | '
            f'{sec["rank_sort"] / sec["alrp"]:.2f}x | {loop_cell("alrp")} | '
            f'{loop_cell("rank_sort")} | {mb("focal")} | {mb("alrp")} | '
            f'{mb("rank_sort")} |')


def run_grid(sizes: Iterable[float], num_pos: Iterable[int], device,
             **kwargs) -> List[GridRow]:
    """Measure and print every grid point as a markdown table."""
    print(markdown_header(), flush=True)
    rows = []
    for size in sizes:
        for count in num_pos:
            rows.append(measure(size, count, device, **kwargs))
            print(markdown_row(rows[-1]), flush=True)
    return rows


def describe_device(device):
    gpu = (f', {torch.cuda.get_device_name(device)}'
           if device.type == 'cuda' else '')
    return (f'device: {device} ({torch.get_num_threads()} CPU threads{gpu}), '
            f'torch {torch.__version__}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--sizes', type=float, nargs='+',
                        default=list(GRID_SIZES), help='M, logits per batch')
    parser.add_argument('--num-pos', type=int, nargs='+',
                        default=list(GRID_NUM_POS), help='P, positives')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--repeats', type=int, default=5,
                        help='timed runs per loss (the median is shown)')
    parser.add_argument('--loop-positives', type=int, default=20,
                        help='positives the loops are timed on, then '
                        'extrapolated to all (0: no loops)')
    parser.add_argument('--no-memory', action='store_true',
                        help='skip the peak-memory runs')
    parser.add_argument('--memory-of', choices=sorted(METHODS),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    device = torch.device(args.device)
    if args.memory_of:
        return measure_memory(args, device)
    print(describe_device(device))
    run_grid(args.sizes, args.num_pos, device, repeats=args.repeats,
             loop_positives=args.loop_positives, memory=not args.no_memory)


if __name__ == '__main__':
    main()
