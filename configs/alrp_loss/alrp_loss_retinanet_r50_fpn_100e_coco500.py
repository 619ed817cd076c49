# Paper Table 2 "aLRP Loss, GIoU, SB" (minival 38.9 AP; README of the
# official code: 39.0 minival / 39.5 test-dev): RetinaNet R-50, MaxIoU
# assigner, 6 anchors per location, 500 scale, lr 0.008, decay at 60 and 80.
# Table 3's GIoU constant weights (w_r 1 -> 36.0, 2 -> 37.0, 5 -> 37.9,
# 10 -> 38.7, 15 -> 38.8, 20 -> 38.7, 25 -> 38.8) switch SB off with
#   --cfg-options custom_hooks.0.fixed_weight=<w_r>
_base_ = [
    '../_base_/models/alrp_retinanet_r50_fpn.py',
    '../_base_/datasets/coco500_detection_augm.py',
    '../_base_/schedules/sgd_100e.py', '../_base_/default_runtime.py'
]
