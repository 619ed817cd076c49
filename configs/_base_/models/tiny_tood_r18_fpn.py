# Tiny TOOD for the synthetic shapes (see tiny_r18_fpn.py): mmdet's TOODHead
# (task-aligned head without deformable sampling, Focal Loss under ATSS
# assignment for the first 4 of 12 epochs, then Quality Focal Loss under
# task-aligned assignment, GIoU loss; GN as in mmdet's recipe, 8 groups)
# over strides 8, 16 and 32 (the head reads the epoch from mmengine's
# message hub). A quality-aware baseline of the demo's ATSS detectors.
_base_ = './tiny_r18_fpn.py'

model = dict(
    type='TOOD',
    bbox_head=dict(
        type='TOODHead',
        num_classes=3,
        in_channels=32,
        feat_channels=32,
        stacked_convs=2,
        num_dcn=0,
        anchor_type='anchor_free',
        norm_cfg=dict(type='GN', num_groups=8, requires_grad=True),
        anchor_generator=dict(
            type='AnchorGenerator',
            ratios=[1.0],
            octave_base_scale=4,
            scales_per_octave=1,
            strides=[8, 16, 32]),
        bbox_coder=dict(
            type='DeltaXYWHBBoxCoder',
            target_means=[.0, .0, .0, .0],
            target_stds=[0.1, 0.1, 0.2, 0.2]),
        initial_loss_cls=dict(
            type='FocalLoss',
            use_sigmoid=True,
            activated=True,
            gamma=2.0,
            alpha=0.25,
            loss_weight=1.0),
        loss_cls=dict(
            type='QualityFocalLoss',
            use_sigmoid=True,
            activated=True,
            beta=2.0,
            loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0)),
    train_cfg=dict(
        initial_epoch=4,
        initial_assigner=dict(type='ATSSAssigner', topk=9),
        assigner=dict(type='TaskAlignedAssigner', topk=13),
        alpha=1,
        beta=6,
        allowed_border=-1,
        pos_weight=-1,
        debug=False),
    test_cfg=dict(
        nms_pre=1000,
        min_bbox_size=0,
        score_thr=0.05,
        nms=dict(type='nms', iou_threshold=0.6),
        max_per_img=100))
