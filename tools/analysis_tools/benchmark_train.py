"""Time whole training steps (forward, backward, optimiser step) of several
configs on the same batch, interleaved in one process, and print seconds
per step and the ratio to the first config (plus peak memory on CUDA).

Each model is built once from its config (backbone weights are not
downloaded: ``init_cfg`` of the backbone is dropped), initialised as a
training run does, and given the optimiser of its config. The batch is one
generated batch (``--scale demo`` or ``coco``; ``--num-images``,
``--image-size``, ``--num-objects``, ``--num-classes`` override the
preset) of random images with random boxes (and masks), or with
``--dataloader`` the first batch of the first config's training
dataloader; every model gets the same one through its own data
preprocessor. A two-stage detector's RPN computes its loss and its
proposals as in training, but its RoI head gets generated proposals
(``--proposals generated``, the default): the boxes of an untrained RPN
differ from model to model, and with their sizes the RoIAlign work
(sampling points per bin grow with a RoI's size on its level), which
made the RoI heads of one family do unequal work on the same batch.
Steps are taken in turn, one per config, ``--warmup`` rounds
untimed, then ``--steps`` timed rounds; the median is printed.
``--family`` takes the configs of ``FAMILIES`` below (a baseline and its
ranking detectors) instead.

    # the demo scale: ATSS with focal loss, aLRP Loss and RS Loss
    python tools/analysis_tools/benchmark_train.py \\
        configs/demo/atss_focal_tiny_synthetic.py \\
        configs/demo/alrp_atss_tiny_synthetic.py \\
        configs/demo/rs_atss_tiny_synthetic.py
    # one COCO-scale step (R-50, 2 images of 800x1333 padded to
    # 800x1344, 80 classes) of every family against its mmdet baseline
    python tools/analysis_tools/benchmark_train.py --family all \\
        --scale coco --steps 3
"""
import argparse
import os.path as osp
import statistics
import time
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
from mmengine.config import Config, DictAction
from mmengine.hub import get_config
from mmengine.logging import MMLogger
from mmengine.model import revert_sync_batchnorm
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmengine.structures import InstanceData
from mmengine.utils import import_modules_from_strings

from mmdet.registry import MODELS
from mmdet.structures.bbox import get_box_tensor
from mmdet.testing import demo_mm_inputs
from mmdet.utils import register_all_modules


REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


class Scale(NamedTuple):
    """A generated batch: images, their size, objects per image, classes."""
    num_images: int
    image_size: Tuple[int, int]
    num_objects: int
    num_classes: Optional[int]


#: ``--scale`` presets: the demo detectors' batch, and one COCO step. The
#: COCO images are 800 x 1333 padded to a multiple of 32, the size mmdet's
#: R-50 detectors train at (their data preprocessors pad to 32); RTMDet's
#: preprocessor pads nothing (its pipeline makes 640 x 640 images) and its
#: neck refuses sizes that are not multiples of 32
SCALES = {
    'demo': Scale(2, (96, 96), 7, None),
    'coco': Scale(2, (800, 1344), 7, 80),
}

#: ``--family``: each family's baseline first, then its ranking detectors,
#: at the demo scale (the tiny configs; RetinaNet, PAA and Cascade R-CNN
#: have none) and at COCO scale (R-50 configs; baselines as mmdet ships
#: them, or the paper's where it trained its own)
FAMILIES = {
    'ATSS': dict(
        demo=('configs/demo/atss_focal_tiny_synthetic.py',
              'configs/demo/alrp_atss_tiny_synthetic.py',
              'configs/demo/rs_atss_tiny_synthetic.py'),
        coco=('mmdet::atss/atss_r50_fpn_1x_coco.py',
              'configs/alrp_loss/'
              'alrp_loss_retinanet_r50_fpn_ATSS_100e_coco500.py',
              'configs/rank_sort_loss/ranksort_atss_r50_fpn_1x_coco.py')),
    'RetinaNet': dict(
        demo=(),
        coco=('mmdet::retinanet/retinanet_r50_fpn_1x_coco.py',
              'configs/alrp_loss/alrp_loss_retinanet_r50_fpn_100e_coco500.py',
              'configs/alrp_loss/ap_loss_retinanet_r50_fpn_100e_coco500.py')),
    'FoveaBox': dict(
        demo=('configs/demo/fovea_focal_tiny_synthetic.py',
              'configs/demo/alrp_fovea_tiny_synthetic.py',
              'configs/demo/ap_loss_fovea_tiny_synthetic.py'),
        coco=('configs/alrp_loss/fovea_r50_fpn_4x4_100e_coco500.py',
              'configs/alrp_loss/alrp_loss_fovea_r50_fpn_4x4_100e_coco500.py',
              'configs/alrp_loss/ap_loss_fovea_r50_fpn_4x4_100e_coco500.py')),
    'PAA': dict(
        demo=(),
        coco=('mmdet::paa/paa_r50_fpn_1x_coco.py',
              'configs/rank_sort_loss/ranksort_paa_r50_fpn_1x_coco.py')),
    'FCOS': dict(
        demo=('configs/demo/fcos_focal_tiny_synthetic.py',
              'configs/demo/alrp_fcos_tiny_synthetic.py',
              'configs/demo/rs_fcos_tiny_synthetic.py'),
        coco=('mmdet::fcos/fcos_r50-caffe_fpn_gn-head_1x_coco.py',
              'configs/fcos/alrp_fcos_r50-caffe_fpn_gn-head_1x_coco.py',
              'configs/fcos/ranksort_fcos_r50-caffe_fpn_gn-head_1x_coco.py')),
    'RTMDet': dict(
        demo=('configs/demo/rtmdet_qfl_tiny_synthetic.py',
              'configs/demo/alrp_rtmdet_tiny_synthetic.py',
              'configs/demo/rs_rtmdet_tiny_synthetic.py'),
        coco=('mmdet::rtmdet/rtmdet_s_8xb32-300e_coco.py',
              'configs/rtmdet/alrp_rtmdet_s_8xb32-300e_coco.py',
              'configs/rtmdet/ranksort_rtmdet_s_8xb32-300e_coco.py')),
    'DINO': dict(
        demo=('configs/demo/dino_focal_tiny_synthetic.py',
              'configs/demo/alrp_dino_tiny_synthetic.py',
              'configs/demo/rs_dino_tiny_synthetic.py'),
        coco=('mmdet::dino/dino-4scale_r50_8xb2-12e_coco.py',
              'configs/dino/alrp_dino-4scale_r50_8xb2-12e_coco.py',
              'configs/dino/ranksort_dino-4scale_r50_8xb2-12e_coco.py')),
    'Faster R-CNN': dict(
        demo=('configs/demo/faster_rcnn_tiny_synthetic.py',
              'configs/demo/alrp_faster_rcnn_tiny_synthetic.py',
              'configs/demo/rs_faster_rcnn_tiny_synthetic.py'),
        coco=('mmdet::faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py',
              'configs/alrp_loss/'
              'alrp_loss_faster_rcnn_r50_fpn_100e_coco500.py',
              'configs/rank_sort_loss/'
              'ranksort_faster_rcnn_r50_fpn_1x_coco.py')),
    'Cascade R-CNN': dict(
        demo=(),
        coco=('mmdet::cascade_rcnn/cascade-rcnn_r50_fpn_1x_coco.py',
              'configs/rank_sort_loss/'
              'ranksort_cascade_rcnn_r50_fpn_1x_coco.py')),
    'Mask R-CNN': dict(
        demo=('configs/demo/mask_rcnn_tiny_synthetic.py',
              'configs/demo/rs_mask_rcnn_tiny_synthetic.py'),
        coco=('mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py',
              'configs/rank_sort_loss/ranksort_mask_rcnn_r50_fpn_1x_coco.py')),
}


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


class GeneratedProposals:
    """Stands in for an RPN's ``loss_and_predict`` in a benchmarked step:
    the RPN's losses and proposals are computed as in training, the
    proposals handed on are ``num_per_image`` boxes jittered from each
    image's gt boxes (centres moved by N(0, 0.3) of the box size, sides
    scaled by exp(N(0, 0.5)), clipped to the image), the same for every
    model and step, so that the RoI heads of a family work on the same
    boxes. About a fifth to two fifths of them overlap a gt box by IoU
    0.5, as a trained RPN's do; mmdet's ``demo_mm_proposals`` draws boxes
    uniformly over the image, few of them positive."""

    def __init__(self, loss_and_predict, num_per_image: int) -> None:
        self.loss_and_predict = loss_and_predict
        self.num_per_image = num_per_image

    def __call__(self, x, batch_data_samples, proposal_cfg=None):
        losses, _ = self.loss_and_predict(
            x, batch_data_samples, proposal_cfg=proposal_cfg)
        generator = torch.Generator().manual_seed(2)
        return losses, [
            self.jittered_gt_boxes(sample, generator).to(x[0].device)
            for sample in batch_data_samples
        ]

    def jittered_gt_boxes(self, sample, generator) -> InstanceData:
        height, width = sample.metainfo['img_shape'][:2]
        gt_boxes = get_box_tensor(
            sample.gt_instances.bboxes).detach().cpu().float()
        if len(gt_boxes) == 0:
            gt_boxes = torch.tensor([[0., 0., width, height]])
        pick = torch.randint(len(gt_boxes), (self.num_per_image, ),
                             generator=generator)
        source = gt_boxes[pick]
        size = (source[:, 2:] - source[:, :2]).clamp(min=1)
        centre = (source[:, :2] + source[:, 2:]) / 2 + 0.3 * size * (
            torch.randn(self.num_per_image, 2, generator=generator))
        half = size * torch.exp(0.5 * torch.randn(
            self.num_per_image, 2, generator=generator)) / 2
        limit = torch.tensor([width, height], dtype=torch.float)
        top_left = torch.minimum((centre - half).clamp(min=0), limit - 1)
        bottom_right = torch.clamp(centre + half, min=top_left + 1,
                                   max=limit)
        boxes = torch.cat([top_left, bottom_right], dim=1)
        return InstanceData(
            bboxes=boxes,
            scores=torch.rand(self.num_per_image, generator=generator),
            labels=torch.zeros(self.num_per_image, dtype=torch.long))


def use_generated_proposals(model: torch.nn.Module, cfg: Config) -> None:
    """Give a two-stage detector's RoI head generated proposals, as many
    per image as its training RPN keeps (``rpn_proposal.max_per_img``)."""
    if getattr(model, 'rpn_head', None) is None:
        return
    model.rpn_head.loss_and_predict = GeneratedProposals(
        model.rpn_head.loss_and_predict,
        cfg.model.train_cfg.rpn_proposal.max_per_img)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('configs', nargs='*', help='configs to compare; '
                        'ratios are to the first')
    parser.add_argument('--family', choices=[*FAMILIES, 'all'],
                        help='the configs of a family (or of each family '
                        'in turn) at --scale instead of CONFIGS')
    parser.add_argument('--scale', choices=SCALES, default='demo',
                        help='the generated batch (and --family configs)')
    parser.add_argument('--image-size', type=int, nargs=2,
                        metavar=('H', 'W'), help='generated images')
    parser.add_argument('--num-images', type=int)
    parser.add_argument('--num-objects', type=int,
                        help='objects per generated image (COCO: about 7)')
    parser.add_argument('--num-classes', type=int,
                        help='classes of the generated boxes (default: the '
                        "first config's head)")
    parser.add_argument('--dataloader', action='store_true',
                        help="the first batch of the first config's "
                        'training dataloader instead of a generated one')
    parser.add_argument('--steps', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--device', default=None,
                        help='default: cuda if available, else cpu')
    parser.add_argument('--proposals', choices=('generated', 'rpn'),
                        default='generated',
                        help="two-stage detectors: the RoI heads' proposals "
                        "(generated from the gt boxes, the same for every "
                        "model; or each untrained RPN's own)")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='applied to every config')
    args = parser.parse_args(argv)
    if bool(args.configs) == bool(args.family):
        parser.error('give either CONFIGS or --family')
    preset = SCALES[args.scale]
    args.batch = Scale(args.num_images or preset.num_images,
                       tuple(args.image_size or preset.image_size),
                       args.num_objects or preset.num_objects,
                       args.num_classes or preset.num_classes)
    if args.steps < 1 or args.warmup < 0 or args.batch.num_images < 1:
        parser.error('--steps and --num-images must be at least 1, '
                     '--warmup at least 0')
    return args


def load_config(path: str, options: Optional[dict]) -> Config:
    """A config file (from here, else from the repository root: the paths
    of ``FAMILIES``), or an mmdet one named as ``mmdet::faster_rcnn/...``
    (mmdet's baselines, as the package's configs inherit them)."""
    if '::' in path:
        cfg = get_config(path)
    else:
        cfg = Config.fromfile(path if osp.exists(path) else
                              osp.join(REPO, path))
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
    with the config's optimiser. SyncBN layers become BN: one process has
    nothing to synchronise with, and torch's SyncBN refuses CPU tensors."""
    torch.manual_seed(0)
    model = revert_sync_batchnorm(MODELS.build(cfg.model)).to(device)
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


def generated_batch(scale: Scale, num_classes: int, with_mask: bool) -> dict:
    torch.manual_seed(1)
    return demo_mm_inputs(
        scale.num_images, [[3, *scale.image_size]] * scale.num_images,
        num_items=[scale.num_objects] * scale.num_images,
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


def benchmark(paths: List[str], args: argparse.Namespace,
              device: str) -> List[StepTiming]:
    """Interleaved training steps of the configs at ``paths`` on one
    batch."""
    configs = [load_config(path, args.cfg_options) for path in paths]
    steps = [build_step(path, cfg, device)
             for path, cfg in zip(paths, configs)]
    if args.proposals == 'generated':
        for step, cfg in zip(steps, configs):
            use_generated_proposals(step.model, cfg)
    if args.dataloader:
        batch = dataloader_batch(configs[0])
    else:
        with_mask = any(cfg.model.get('roi_head', {}).get('mask_head')
                        for cfg in configs)
        batch = generated_batch(
            args.batch, args.batch.num_classes or num_classes_of(configs[0]),
            with_mask)
    return time_steps(steps, batch, args.steps, args.warmup, device)


def main(argv=None) -> None:
    args = parse_args(argv)
    # the models' weight initialisation logs every parameter at INFO
    MMLogger.get_instance('benchmark_train', log_level='WARNING')
    register_all_modules()
    init_default_scope('mmdet')
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    print(f'device {device}, {args.steps} timed steps after {args.warmup} '
          f'untimed, torch {torch.__version__}, '
          f'{torch.get_num_threads()} threads, batch {args.batch}')
    if not args.family:
        print(markdown_table(benchmark(args.configs, args, device)))
        return
    families = FAMILIES if args.family == 'all' else [args.family]
    for family in families:
        paths = FAMILIES[family][args.scale]
        print(f'\n{family} ({args.scale} scale)')
        if not paths:
            print('no configs at this scale')
            continue
        print(markdown_table(benchmark(paths, args, device)))


if __name__ == '__main__':
    main()
