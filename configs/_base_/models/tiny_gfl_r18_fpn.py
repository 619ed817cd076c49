# Tiny GFL for the synthetic shapes (see tiny_r18_fpn.py): mmdet's GFLHead
# (Quality Focal Loss, Distribution Focal Loss, GIoU loss; GN tower as in
# mmdet's recipe, 8 groups of the 32 channels) with one anchor of 4 strides
# per location for ATSS assignment over strides 8, 16 and 32. A
# quality-aware baseline of the demo's ATSS detectors.
_base_ = './tiny_r18_fpn.py'

model = dict(
    type='GFL',
    bbox_head=dict(
        type='GFLHead',
        num_classes=3,
        in_channels=32,
        feat_channels=32,
        stacked_convs=2,
        norm_cfg=dict(type='GN', num_groups=8, requires_grad=True),
        anchor_generator=dict(
            type='AnchorGenerator',
            ratios=[1.0],
            octave_base_scale=4,
            scales_per_octave=1,
            strides=[8, 16, 32]),
        loss_cls=dict(
            type='QualityFocalLoss',
            use_sigmoid=True,
            beta=2.0,
            loss_weight=1.0),
        loss_dfl=dict(type='DistributionFocalLoss', loss_weight=0.25),
        reg_max=16,
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0)),
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
