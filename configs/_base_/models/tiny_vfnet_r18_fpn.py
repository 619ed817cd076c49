# Tiny VFNet for the synthetic shapes (see tiny_r18_fpn.py): mmdet's
# VFNetHead (Varifocal Loss with IoU-weighted targets, GIoU loss before and
# after the star-shaped deformable refinement; GN tower as in mmdet's
# recipe, 8 groups of the 32 channels) with ATSS assignment over strides 8,
# 16 and 32 (one anchor of 4 strides per location). A quality-aware
# baseline of the demo's ATSS detectors.
_base_ = './tiny_r18_fpn.py'

model = dict(
    type='VFNet',
    bbox_head=dict(
        type='VFNetHead',
        num_classes=3,
        in_channels=32,
        feat_channels=32,
        stacked_convs=2,
        strides=[8, 16, 32],
        center_sampling=False,
        dcn_on_last_conv=False,
        use_atss=True,
        use_vfl=True,
        norm_cfg=dict(type='GN', num_groups=8, requires_grad=True),
        anchor_generator=dict(
            type='AnchorGenerator',
            ratios=[1.0],
            octave_base_scale=4,
            scales_per_octave=1,
            center_offset=0.0,
            strides=[8, 16, 32]),
        loss_cls=dict(
            type='VarifocalLoss',
            use_sigmoid=True,
            alpha=0.75,
            gamma=2.0,
            iou_weighted=True,
            loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=1.5),
        loss_bbox_refine=dict(type='GIoULoss', loss_weight=2.0)),
    train_cfg=dict(
        assigner=dict(type='ATSSAssigner', topk=9),
        allowed_border=-1,
        pos_weight=-1,
        debug=False),
    test_cfg=dict(
        nms_pre=1000,
        min_bbox_size=0,
        score_thr=0.05,
        nms=dict(type='nms', iou_threshold=0.6),
        max_per_img=100))
