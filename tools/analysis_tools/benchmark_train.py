"""Time whole training steps (forward, backward, optimiser step) of several
configs on the same batch, interleaved in one process, and print seconds
per step and the ratio to the first config (plus peak memory on CUDA).

Each model is built once from its config (backbone weights are not
downloaded: ``init_cfg`` of the backbone is dropped), initialised as a
training run does, and given the optimiser of its config. The batch is one
generated batch of ``--num-images`` random images of ``--image-size`` with
``--num-objects`` random boxes (and masks) each, or with ``--dataloader``
the first batch of the first config's training dataloader; every model
gets the same one through its own data preprocessor. Steps are taken in
turn, one per config, ``--warmup`` rounds untimed, then ``--steps`` timed
rounds; the median is printed.

    # the demo scale: ATSS with focal loss, aLRP Loss and RS Loss
    python tools/analysis_tools/benchmark_train.py \\
        configs/demo/atss_focal_tiny_synthetic.py \\
        configs/demo/alrp_atss_tiny_synthetic.py \\
        configs/demo/rs_atss_tiny_synthetic.py --image-size 96 96
    # one COCO-scale step: R-50, 2 images of 800x1333, 80 classes
    python tools/analysis_tools/benchmark_train.py CONFIG_A CONFIG_B \\
        --image-size 800 1333 --num-classes 80 --steps 3
"""
import argparse
import statistics
import time
from typing import Dict, List, NamedTuple, Optional

import torch
from mmengine.config import Config, DictAction
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmengine.utils import import_modules_from_strings

from mmdet.registry import MODELS
from mmdet.testing import demo_mm_inputs
from mmdet.utils import register_all_modules


class TrainStep(NamedTuple):
    """One config's model, ready to train."""
    name: str
    model: torch.nn.Module
    optim_wrapper: object


class StepTiming(NamedTuple):
    """Median seconds per step and CUDA peak memory (bytes) of a config."""
    name: str
    seconds: float
    peak_bytes: Optional[int]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('configs', nargs='+', help='configs to compare; '
                        'ratios are to the first')
    parser.add_argument('--image-size', type=int, nargs=2, default=(96, 96),
                        metavar=('H', 'W'), help='generated images')
    parser.add_argument('--num-images', type=int, default=2)
    parser.add_argument('--num-objects', type=int, default=7,
                        help='objects per generated image (COCO: about 7)')
    parser.add_argument('--num-classes', type=int, default=None,
                        help='classes of the generated boxes (default: the '
                        "first config's head)")
    parser.add_argument('--dataloader', action='store_true',
                        help="the first batch of the first config's "
                        'training dataloader instead of a generated one')
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--device', default=None,
                        help='default: cuda if available, else cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='applied to every config')
    args = parser.parse_args(argv)
    if args.steps < 1 or args.warmup < 0 or args.num_images < 1:
        parser.error('--steps and --num-images must be at least 1, '
                     '--warmup at least 0')
    return args


def load_config(path: str, options: Optional[dict]) -> Config:
    cfg = Config.fromfile(path)
    if options:
        cfg.merge_from_dict(options)
    if cfg.get('custom_imports'):
        import_modules_from_strings(**cfg.custom_imports)
    backbone = cfg.model.get('backbone')
    if backbone is not None:
        backbone.init_cfg = None
    return cfg


def build_step(path: str, cfg: Config, device: str) -> TrainStep:
    """The config's model, initialised as a run does (DETR-style models
    hold uninitialised tensors until ``init_weights``), in training mode,
    with the config's optimiser."""
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).to(device)
    model.init_weights()
    model.train()
    return TrainStep(path, model,
                     build_optim_wrapper(model, cfg.optim_wrapper))


def num_classes_of(cfg: Config) -> int:
    """The detector's class count: its dense head's or RoI box head's."""
    model = cfg.model
    head = model.get('bbox_head') or model.roi_head.bbox_head
    if isinstance(head, (list, tuple)):
        head = head[0]
    return head.num_classes


def generated_batch(args: argparse.Namespace, num_classes: int,
                    with_mask: bool) -> dict:
    torch.manual_seed(1)
    return demo_mm_inputs(
        args.num_images, [[3, *args.image_size]] * args.num_images,
        num_items=[args.num_objects] * args.num_images,
        num_classes=num_classes, with_mask=with_mask)


def dataloader_batch(cfg: Config) -> dict:
    return next(iter(Runner.build_dataloader(cfg.train_dataloader)))


def synchronize(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def take_step(step: TrainStep, batch: dict) -> None:
    data = step.model.data_preprocessor(batch, True)
    losses = step.model(**data, mode='loss')
    total, _ = step.model.parse_losses(losses)
    step.optim_wrapper.update_params(total)


def time_steps(steps: List[TrainStep], batch: dict, rounds: int,
               warmup: int, device: str) -> List[StepTiming]:
    """Interleaved rounds of one step per config; median seconds of the
    timed rounds and, on CUDA, the peak memory of any step."""
    seconds: Dict[str, List[float]] = {step.name: [] for step in steps}
    peaks: Dict[str, int] = {step.name: 0 for step in steps}
    on_cuda = device.startswith('cuda')
    for round_index in range(warmup + rounds):
        for step in steps:
            if on_cuda:
                torch.cuda.reset_peak_memory_stats()
            synchronize(device)
            start = time.perf_counter()
            take_step(step, batch)
            synchronize(device)
            if round_index >= warmup:
                seconds[step.name].append(time.perf_counter() - start)
            if on_cuda:
                peaks[step.name] = max(peaks[step.name],
                                       torch.cuda.max_memory_allocated())
    return [
        StepTiming(step.name, statistics.median(seconds[step.name]),
                   peaks[step.name] if on_cuda else None) for step in steps
    ]


def markdown_table(timings: List[StepTiming]) -> str:
    base = timings[0].seconds
    lines = ['| config | s / step | ratio to the first | peak MB (CUDA) |',
             '|---|---|---|---|']
    for timing in timings:
        peak = ('' if timing.peak_bytes is None else
                f'{timing.peak_bytes / 2**20:.0f}')
        lines.append(f'| `{timing.name}` | {timing.seconds:.4f} | '
                     f'{timing.seconds / base:.2f}x | {peak} |')
    return '\n'.join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    register_all_modules()
    init_default_scope('mmdet')
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    configs = [load_config(path, args.cfg_options) for path in args.configs]
    steps = [build_step(path, cfg, device)
             for path, cfg in zip(args.configs, configs)]
    if args.dataloader:
        batch = dataloader_batch(configs[0])
    else:
        with_mask = any(cfg.model.get('roi_head', {}).get('mask_head')
                        for cfg in configs)
        batch = generated_batch(
            args, args.num_classes or num_classes_of(configs[0]), with_mask)
    timings = time_steps(steps, batch, args.steps, args.warmup, device)
    print(f'device {device}, {args.steps} timed steps after {args.warmup} '
          f'untimed, torch {torch.__version__}, '
          f'{torch.get_num_threads()} threads')
    print(markdown_table(timings))


if __name__ == '__main__':
    main()
