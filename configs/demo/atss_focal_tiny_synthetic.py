# Baseline for the demo: the same tiny detector, data and schedule as
# alrp_atss_tiny_synthetic.py trained with mmdet's ATSS head (Focal Loss +
# GIoU Loss + centerness) instead of aLRP Loss. Used for the comparison in
# docs/synthetic_training.md.
_base_ = [
    '../_base_/models/tiny_atss_focal_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
