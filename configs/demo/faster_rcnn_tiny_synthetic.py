# Faster R-CNN on the synthetic shapes data: the demo's tiny ResNet-18 / FPN
# with mmdet's sampled RPN and Shared2FC RoI head, cross-entropy and L1, as
# the paper's Table 8 baseline; data and schedule as
# alrp_atss_tiny_synthetic.py. The GIoU and aLRP variants inherit it
# (docs/synthetic_training.md).
_base_ = [
    '../_base_/models/tiny_faster_rcnn_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
