# Tiny FCOS for the synthetic shapes (see tiny_r18_fpn.py): mmdet's
# FCOSHead (GN tower, Focal Loss, IoU loss, centerness) over strides 8, 16
# and 32 with regress ranges scaled to 96-pixel images.
_base_ = './tiny_r18_fpn.py'

model = dict(
    type='FCOS',
    bbox_head=dict(
        type='FCOSHead',
        num_classes=3,
        in_channels=32,
        feat_channels=32,
        stacked_convs=2,
        strides=[8, 16, 32],
        regress_ranges=((-1, 32), (32, 64), (64, 1e8)),
        norm_cfg=dict(type='GN', num_groups=8, requires_grad=True),
        loss_cls=dict(
            type='FocalLoss',
            use_sigmoid=True,
            gamma=2.0,
            alpha=0.25,
            loss_weight=1.0),
        loss_bbox=dict(type='IoULoss', loss_weight=1.0),
        loss_centerness=dict(
            type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(
        nms_pre=1000,
        min_bbox_size=0,
        score_thr=0.05,
        nms=dict(type='nms', iou_threshold=0.5),
        max_per_img=100))
