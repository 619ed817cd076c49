"""Time aLRP Loss (or RS Loss) against mmdet's focal loss and a loop over
positives shaped like the official code.

Inputs look like an early-training RetinaNet batch: ``M`` logits laid out
as (anchors x 80 classes), about 2000 positive anchors, logits near the
prior -4.6 so that almost every negative lies inside a positive's window.
Each method runs forward + backward on the same inputs; the loop over
positives (reference Sec. 2.1) is timed on a subset of positives and
extrapolated. Peak memory is the extra memory one run takes on top of its
inputs, measured in a fresh process (resident set sampled every
millisecond on CPU, max_memory_allocated on CUDA).

With ``--loss rank_sort`` the loss is RS Loss (IoU targets for the
positives) and the loop is the released RS code's, one step per positive
over all positives and relevant negatives.

    python tools/analysis_tools/benchmark_loss.py                 # 1M and 10M
    python tools/analysis_tools/benchmark_loss.py --sizes 1e6 --device cuda
    python tools/analysis_tools/benchmark_loss.py --loss rank_sort \
        --num-pos 10000
"""
import argparse
import ctypes
import subprocess
import sys
import threading
import time

import torch

from alrp_mmdet.models.losses import alrp_loss, rank_sort_loss
from mmdet.models.losses import FocalLoss

NUM_CLASSES = 80


def make_inputs(num_logits, num_pos, device, seed=0):
    gen = torch.Generator().manual_seed(seed)
    num_anchors = num_logits // NUM_CLASSES
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
    each touching all relevant negatives. Returns the seconds it would
    take for every positive (extrapolated from ``max_positives``)."""
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


METHODS = dict(alrp=run_alrp, rank_sort=run_rank_sort, focal=run_focal)


def peak_memory(method, size, num_pos, device):
    """Extra peak memory (bytes) of one run of ``method``, measured in a
    fresh process so that nothing freed earlier hides the allocations."""
    out = subprocess.run(
        [sys.executable, __file__, '--memory-of', method, '--sizes',
         str(size), '--num-pos', str(num_pos), '--device', str(device)],
        check=True, capture_output=True, text=True).stdout
    return int(out.split()[-1])


def measure_memory(args, device):
    if device.type != 'cuda':
        fix_malloc_mmap_threshold()
    inputs = make_inputs(int(args.sizes[0]), args.num_pos, device)
    with PeakMemory(device) as memory:
        METHODS[args.memory_of](inputs)
    print(memory.extra)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--loss', choices=sorted(LOOPS), default='alrp')
    parser.add_argument('--sizes', type=float, nargs='+', default=[1e6, 1e7])
    parser.add_argument('--num-pos', type=int, default=2000)
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--loop-positives', type=int, default=50,
                        help='positives the loop is timed on, then '
                        'extrapolated to all')
    parser.add_argument('--memory-of', choices=sorted(METHODS),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    device = torch.device(args.device)
    if args.memory_of:
        return measure_memory(args, device)
    gpu = (f', {torch.cuda.get_device_name(device)}'
           if device.type == 'cuda' else '')
    print(f'device: {device} ({torch.get_num_threads()} CPU threads{gpu}), '
          f'torch {torch.__version__}')
    name = dict(alrp='aLRP', rank_sort='RS')[args.loss]
    header = (f'| M | positives | relevant negatives | {name} (s) | focal (s) '
              f'| loop (s, extrapolated) | {name} / focal | loop / {name} | '
              f'peak MB {name} | peak MB focal |')
    print(header)
    print('|' + '---|' * (header.count('|') - 1))
    for size in args.sizes:
        inputs = make_inputs(int(size), args.num_pos, device)
        _, _, stats = alrp_loss(inputs['logits'].view(-1),
                                inputs['flat_labels'], inputs['loc_errors'],
                                return_stats=True)
        t_alrp = timed(lambda: METHODS[args.loss](inputs), device,
                       args.repeats)
        t_focal = timed(lambda: run_focal(inputs), device, args.repeats)
        m_alrp = peak_memory(args.loss, size, args.num_pos, device)
        m_focal = peak_memory('focal', size, args.num_pos, device)
        if device.type == 'cuda':
            torch.cuda.synchronize()
        start = time.perf_counter()
        done = LOOPS[args.loss](inputs, args.loop_positives)
        if device.type == 'cuda':
            torch.cuda.synchronize()
        t_loop = (time.perf_counter() - start) * args.num_pos / done
        print(f'| {int(size):,} | {stats.num_pos} | '
              f'{stats.num_relevant_neg:,} | {t_alrp:.3f} | {t_focal:.3f} | '
              f'{t_loop:.1f} | {t_alrp / t_focal:.2f}x | '
              f'{t_loop / t_alrp:.0f}x | {m_alrp / 2**20:.0f} | '
              f'{m_focal / 2**20:.0f} |', flush=True)


if __name__ == '__main__':
    main()
