"""Time the losses of one DINO training iteration: mmdet's DINOHead (focal,
L1, GIoU) against ALRPDINOHead and RankSortDINOHead on the same outputs.

Full-scale shapes: 2 images, 80 classes, 900 matching queries, 6 decoder
layers, the two-stage proposals (900 per image, as DINO's encoder keeps
them) and 100 denoising queries in dynamic groups (DINO's config), with
COCO's mean of about 7 objects per image. The decoder outputs are random
leaf tensors (scores near the prior -4.6, boxes around the gts), so what
is timed is ``loss_by_feat`` forward (Hungarian matching of every layer
included) and backward into those outputs, nothing of the transformer.

    python tools/analysis_tools/benchmark_dino_loss.py --repeats 5
"""
import argparse
import statistics
import time

import torch
from mmengine.structures import InstanceData

import alrp_mmdet  # noqa: F401 registers the heads
from mmdet.registry import MODELS
from mmdet.utils import register_all_modules

NUM_CLASSES, QUERIES, LAYERS, DN_QUERIES, DIMS = 80, 900, 6, 100, 256
IMAGE = (800, 1199)
HEADS = {
    'focal (DINOHead)': dict(
        type='DINOHead',
        loss_cls=dict(type='FocalLoss', use_sigmoid=True, gamma=2.0,
                      alpha=0.25, loss_weight=1.0),
        loss_iou=dict(type='GIoULoss', loss_weight=2.0)),
    'aLRP (ALRPDINOHead)': dict(
        type='ALRPDINOHead', loss_cls=dict(type='ALRPLoss'),
        loss_iou=dict(type='GIoULoss', reduction='none')),
    'RS (RankSortDINOHead)': dict(
        type='RankSortDINOHead', loss_cls=dict(type='RankSortLoss'),
        loss_iou=dict(type='GIoULoss', reduction='none')),
}
ASSIGNER = dict(
    type='HungarianAssigner',
    match_costs=[
        dict(type='FocalLossCost', weight=2.0),
        dict(type='BBoxL1Cost', weight=5.0, box_format='xywh'),
        dict(type='IoUCost', iou_mode='giou', weight=2.0)
    ])


def ground_truth(num_objects, gen):
    """Boxes of the image size's scale and random classes per image."""
    h, w = IMAGE
    gts = []
    for count in num_objects:
        centre = torch.rand(count, 2, generator=gen) * torch.tensor([w, h])
        size = (torch.rand(count, 2, generator=gen) * 0.3 + 0.05) * \
            torch.tensor([w, h])
        boxes = torch.cat([centre - size / 2, centre + size / 2], 1)
        boxes[:, 0::2] = boxes[:, 0::2].clamp(0, w)
        boxes[:, 1::2] = boxes[:, 1::2].clamp(0, h)
        gts.append(InstanceData(
            bboxes=boxes,
            labels=torch.randint(0, NUM_CLASSES, (count, ), generator=gen)))
    return gts


def outputs(gts, gen):
    """Leaf outputs of every layer (denoising queries first), the
    proposals, and DINO's dn_meta."""
    most = max(len(g) for g in gts)
    groups = max(DN_QUERIES // most, 1)
    dn_meta = dict(num_denoising_queries=2 * most * groups,
                   num_denoising_groups=groups)
    total = dn_meta['num_denoising_queries'] + QUERIES
    scores = torch.randn(LAYERS, len(gts), total, NUM_CLASSES,
                         generator=gen) - 4.6
    boxes = torch.rand(LAYERS, len(gts), total, 4, generator=gen) * 0.5 + \
        0.25
    enc_scores = torch.randn(len(gts), QUERIES, NUM_CLASSES,
                             generator=gen) - 4.6
    enc_boxes = torch.rand(len(gts), QUERIES, 4, generator=gen) * 0.5 + 0.25
    leaves = [t.requires_grad_() for t in (scores, boxes, enc_scores,
                                           enc_boxes)]
    return leaves, dn_meta


def time_head(cfg, inputs, gts, dn_meta, repeats):
    head = MODELS.build(dict(
        cfg, num_classes=NUM_CLASSES, embed_dims=DIMS,
        num_pred_layer=LAYERS + 1, as_two_stage=True, share_pred_layer=False,
        sync_cls_avg_factor=True, train_cfg=dict(assigner=ASSIGNER)))
    metas = [dict(img_shape=IMAGE)] * len(gts)
    seconds = []
    for _ in range(repeats + 1):  # the first run warms up
        for leaf in inputs:
            leaf.grad = None
        start = time.perf_counter()
        losses = head.loss_by_feat(*inputs, gts, metas, dn_meta)
        sum(value for key, value in losses.items()
            if 'loss' in key).backward()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds[1:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument('--objects', type=int, nargs='+', default=[7, 8],
                        help='objects per image')
    args = parser.parse_args()
    register_all_modules()
    gen = torch.Generator().manual_seed(0)
    gts = ground_truth(args.objects, gen)
    inputs, dn_meta = outputs(gts, gen)
    print(f'{len(gts)} images, {NUM_CLASSES} classes, {QUERIES} queries, '
          f'{LAYERS} layers + proposals, {dn_meta["num_denoising_queries"]} '
          f'denoising queries, objects {args.objects}, torch '
          f'{torch.__version__}, {torch.get_num_threads()} threads')
    times = {name: time_head(cfg, inputs, gts, dn_meta, args.repeats)
             for name, cfg in HEADS.items()}
    focal = times['focal (DINOHead)']
    print('| loss | seconds per iteration (losses only) | / focal |')
    print('|---|---|---|')
    for name, value in times.items():
        print(f'| {name} | {value:.3f} | {value / focal:.2f}x |')


if __name__ == '__main__':
    main()
