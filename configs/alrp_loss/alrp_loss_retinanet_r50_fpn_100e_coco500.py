# Paper Table 2 "aLRP Loss, GIoU, SB" (minival 38.9 AP; README of the
# official code: 39.0 minival / 39.5 test-dev): RetinaNet R-50, MaxIoU
# assigner, 6 anchors per location, 500 scale, lr 0.008, decay at 60 and 80
# (the last two from ../_base_/schedules/sgd_100e.py).
_base_ = [
    'mmdet::_base_/models/retinanet_r50_fpn.py',
    '../_base_/datasets/coco500_detection_augm.py',
    '../_base_/schedules/sgd_100e.py', 'mmdet::_base_/default_runtime.py'
]
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    backbone=dict(
        init_cfg=dict(type='Pretrained', checkpoint='torchvision://resnet50')),
    bbox_head=dict(
        _delete_=True,
        type='ALRPRetinaHead',
        num_classes=80,
        in_channels=256,
        feat_channels=256,
        stacked_convs=4,
        anchor_generator=dict(
            type='AnchorGenerator',
            octave_base_scale=4,
            scales_per_octave=2,
            ratios=[0.5, 1.0, 2.0],
            strides=[8, 16, 32, 64, 128]),
        bbox_coder=dict(
            type='DeltaXYWHBBoxCoder',
            target_means=[.0, .0, .0, .0],
            target_stds=[0.1, 0.1, 0.2, 0.2]),
        tau=0.5,
        loss_cls=dict(type='ALRPLoss', use_sigmoid=True, delta=1.0,
                      sb_init=50.0),
        loss_bbox=dict(type='GIoULoss', reduction='none')),
    train_cfg=dict(
        _delete_=True,
        assigner=dict(
            type='MaxIoUAssigner',
            pos_iou_thr=0.5,
            neg_iou_thr=0.4,
            min_pos_iou=0,
            ignore_iof_thr=-1),
        allowed_border=-1,
        pos_weight=-1,
        debug=False),
    test_cfg=dict(
        nms_pre=1000,
        min_bbox_size=0,
        score_thr=0.05,
        nms=dict(type='nms', iou_threshold=0.5),
        max_per_img=100))

custom_hooks = [dict(type='SelfBalanceHook')]
