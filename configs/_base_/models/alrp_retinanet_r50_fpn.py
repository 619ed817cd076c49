# aLRP RetinaNet R-50 FPN (reference 1.2): ALRPRetinaHead (GIoU, tau 0.5, SB
# from 50) with 6 anchors per location, MaxIoU assigner 0.5/0.4, stds
# 0.1/0.2, no sampling; the configs of paper Tables 2, 3 and 6 build on it.
_base_ = 'mmdet::_base_/models/retinanet_r50_fpn.py'
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
