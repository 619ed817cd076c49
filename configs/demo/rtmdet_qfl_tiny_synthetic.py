# RTMDet on the synthetic shapes data: the demo's tiny ResNet-18 / FPN with
# mmdet's RTMDetSepBNHead (QualityFocalLoss, GIoU, dynamic soft labels) and
# RTMDet's ExpMomentumEMA (validation and checkpoints use the averaged
# weights), the baseline of the aLRP and RS RTMDet variants; data and
# schedule as alrp_atss_tiny_synthetic.py.
_base_ = [
    '../_base_/models/tiny_rtmdet_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
