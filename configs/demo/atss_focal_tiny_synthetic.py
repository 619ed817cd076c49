# Baseline for the demo: the same tiny detector, data and schedule trained
# with mmdet's ATSS head (Focal Loss + GIoU Loss + centerness) instead of
# aLRP Loss. Used for the comparison in docs/synthetic_training.md.
_base_ = './alrp_atss_tiny_synthetic.py'

model = dict(
    bbox_head=dict(
        _delete_=True,
        type='ATSSHead',
        num_classes={{_base_.num_classes}},
        in_channels=32,
        feat_channels=32,
        stacked_convs=2,
        norm_cfg=None,
        anchor_generator={{_base_.model.bbox_head.anchor_generator}},
        bbox_coder={{_base_.model.bbox_head.bbox_coder}},
        loss_cls=dict(
            type='FocalLoss',
            use_sigmoid=True,
            gamma=2.0,
            alpha=0.25,
            loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        loss_centerness=dict(
            type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)))
custom_hooks = []
