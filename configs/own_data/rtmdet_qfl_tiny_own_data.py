# The RTMDet baseline on your own data (coco_format_data.py): the demo's
# tiny RTMDet (QualityFocalLoss, GIoU, dynamic soft labels) with RTMDet's
# ExpMomentumEMA, same schedule and runtime as the ATSS configs here.
_base_ = [
    '../_base_/models/tiny_rtmdet_r18_fpn.py', './coco_format_data.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
model = dict(bbox_head=dict(num_classes=len(_base_.classes)))
