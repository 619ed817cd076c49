# FoveaBox on the synthetic shapes data: the demo's tiny ResNet-18 / FPN
# with mmdet's FoveaHead, Focal Loss and Smooth L1 as the paper's Table 7
# baseline; data and schedule as alrp_atss_tiny_synthetic.py. The aLRP and
# AP Loss variants inherit it (docs/synthetic_training.md).
_base_ = [
    '../_base_/models/tiny_fovea_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
