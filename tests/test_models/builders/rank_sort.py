"""Rank & Sort ATSS and PAA heads of the tests."""
import torch
from mmengine import Config

from mmdet.registry import MODELS
from . import retina


def build_atss(**kwargs):
    return retina.build_head('RankSortATSSHead', norm_cfg=dict(
        type='GN', num_groups=2, requires_grad=True), **kwargs)


def build_paa(**kwargs):
    cfg = dict(
        type='RankSortPAAHead', num_classes=3, in_channels=1, feat_channels=4,
        stacked_convs=1,
        norm_cfg=dict(type='GN', num_groups=2, requires_grad=True),
        anchor_generator=dict(type='AnchorGenerator', ratios=[1.0],
                              octave_base_scale=4, scales_per_octave=3,
                              strides=retina.STRIDES),
        bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0.] * 4,
                        target_stds=[0.1, 0.1, 0.2, 0.2]),
        train_cfg=Config(dict(
            assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.1,
                          neg_iou_thr=0.1, min_pos_iou=0, ignore_iof_thr=-1),
            allowed_border=-1, pos_weight=-1, debug=False)),
        test_cfg=Config(dict(nms_pre=100, min_bbox_size=0, score_thr=0.05,
                             nms=dict(type='nms', iou_threshold=0.6),
                             max_per_img=10)))
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def iou(a, b):
    """Aligned IoU of two (n, 4) box sets, by hand."""
    wh = (torch.min(a[:, 2:], b[:, 2:]) - torch.max(a[:, :2], b[:, :2])
          ).clamp(min=0)
    inter = wh[:, 0] * wh[:, 1]
    area = (a[:, 2:] - a[:, :2]).prod(1) + (b[:, 2:] - b[:, :2]).prod(1)
    return inter / (area - inter)
