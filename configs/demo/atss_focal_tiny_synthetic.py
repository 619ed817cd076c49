# Baseline for the demo: the same tiny detector, data and schedule as
# alrp_atss_tiny_synthetic.py trained with mmdet's ATSS head (Focal Loss +
# GIoU Loss + centerness) instead of aLRP Loss. Used for the comparison in
# docs/synthetic_training.md.
_base_ = [
    '../_base_/models/tiny_retinanet_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]

model = dict(
    bbox_head=dict(
        type='ATSSHead',
        norm_cfg=None,
        loss_cls=dict(
            type='FocalLoss',
            use_sigmoid=True,
            gamma=2.0,
            alpha=0.25,
            loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        loss_centerness=dict(
            type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)))
