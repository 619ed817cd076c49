"""mmdet's own heads with mmdet's losses, built like the test heads of the
ranking heads they are the baselines of (same sizes, assigners and
inputs)."""
from . import dino, fcos, fovea, rank_sort, retina, roi, rpn, rtmdet
from .ranking_heads import dense, roi_losses

FOCAL = dict(type='FocalLoss', use_sigmoid=True, gamma=2.0, alpha=0.25,
             loss_weight=1.0)
GN = dict(type='GN', num_groups=2, requires_grad=True)


def retina_head(**kwargs):
    return retina.build_head('ALRPRetinaHead', type='RetinaHead',
                             loss_cls=FOCAL, loss_bbox=dict(type='L1Loss'),
                             **kwargs)


def atss_head(**kwargs):
    return retina.build_head(
        'ALRPATSSHead', type='ATSSHead', norm_cfg=GN, loss_cls=FOCAL,
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        reg_decoded_bbox=True, **kwargs)


def paa_head(**kwargs):
    return rank_sort.build_paa(
        type='PAAHead', loss_cls=FOCAL,
        loss_bbox=dict(type='GIoULoss', loss_weight=1.3),
        reg_decoded_bbox=True, **kwargs)


def fovea_head(**kwargs):
    return fovea.build_head(
        'ALRPFoveaHead', type='FoveaHead',
        loss_cls=dict(FOCAL, gamma=1.5, alpha=0.4),
        loss_bbox=dict(type='SmoothL1Loss', beta=0.11), **kwargs)


def fcos_head(**kwargs):
    return fcos.build_head('ALRPFCOSHead', type='FCOSHead', loss_cls=FOCAL,
                           loss_bbox=dict(type='IoULoss'), **kwargs)


def rtmdet_head(**kwargs):
    return rtmdet.build_head(
        'ALRPRTMDetSepBNHead', type='RTMDetSepBNHead',
        loss_cls=dict(type='QualityFocalLoss', use_sigmoid=True, beta=2.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0), **kwargs)


def rpn_head(**kwargs):
    return rpn.build_head(
        type='RPNHead', loss_cls=dict(type='CrossEntropyLoss',
                                      use_sigmoid=True),
        loss_bbox=dict(type='L1Loss'), **kwargs)


def roi_head(**kwargs):
    return roi.build_head(
        type='Shared2FCBBoxHead',
        loss_cls=dict(type='CrossEntropyLoss'),
        loss_bbox=dict(type='L1Loss'), **kwargs)


def dino_head(**kwargs):
    return dino.build_head(
        'ALRPDINOHead', type='DINOHead', loss_cls=FOCAL,
        loss_bbox=dict(type='L1Loss', loss_weight=5.0),
        loss_iou=dict(type='GIoULoss', loss_weight=2.0), **kwargs)


#: mmdet baseline of each ranking head: (build, losses of a batch)
BASELINES = {
    'ALRPRetinaHead': (retina_head, dense(retina)[1]),
    'APLossRetinaHead': (retina_head, dense(retina)[1]),
    'ALRPATSSHead': (atss_head, dense(retina)[1]),
    'RankSortATSSHead': (atss_head, dense(retina)[1]),
    'RankSortPAAHead': (paa_head, dense(retina)[1]),
    'ALRPFoveaHead': (fovea_head, dense(fovea)[1]),
    'APLossFoveaHead': (fovea_head, dense(fovea)[1]),
    'ALRPFCOSHead': (fcos_head, dense(fcos)[1]),
    'RankSortFCOSHead': (fcos_head, dense(fcos)[1]),
    'ALRPRTMDetSepBNHead': (rtmdet_head, dense(rtmdet)[1]),
    'RankSortRTMDetSepBNHead': (rtmdet_head, dense(rtmdet)[1]),
    'ALRPRPNHead': (rpn_head, dense(rpn)[1]),
    'RankSortRPNHead': (rpn_head, dense(rpn)[1]),
    'ALRPShared2FCBBoxHead': (roi_head, roi_losses),
    'RankSortShared2FCBBoxHead': (roi_head, roi_losses),
    'ALRPDINOHead': (dino_head, dino.losses_of),
    'RankSortDINOHead': (dino_head, dino.losses_of),
}
