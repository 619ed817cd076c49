# Tiny FoveaBox for the synthetic shapes (see tiny_r18_fpn.py): mmdet's
# FoveaHead with Focal Loss (gamma 1.5, alpha 0.4) and Smooth L1 (beta
# 0.11) as the paper's Table 7 baseline.
_base_ = './tiny_r18_fpn.py'

model = dict(
    type='FOVEA',
    bbox_head=dict(
        type='FoveaHead',
        num_classes=3,
        in_channels=32,
        feat_channels=32,
        stacked_convs=2,
        strides=[8, 16, 32],
        base_edge_list=[16, 32, 64],
        scale_ranges=((1, 32), (16, 64), (32, 128)),
        sigma=0.4,
        with_deform=False,
        loss_cls=dict(
            type='FocalLoss',
            use_sigmoid=True,
            gamma=1.5,
            alpha=0.4,
            loss_weight=1.0),
        loss_bbox=dict(type='SmoothL1Loss', beta=0.11, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(
        nms_pre=1000,
        score_thr=0.05,
        nms=dict(type='nms', iou_threshold=0.5),
        max_per_img=100))
