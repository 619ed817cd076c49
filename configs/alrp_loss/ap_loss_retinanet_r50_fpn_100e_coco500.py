# Paper Table 2 "AP Loss" (minival 35.5 AP; official README: 35.4 minival /
# 35.7 test-dev): RetinaNet R-50 trained with interpolated AP Loss and Smooth
# L1 (beta 1) on the encoded deltas, 6 anchors per location, MaxIoU 0.5/0.4,
# 500 scale, lr 0.002, decay at 60 and 80.
_base_ = [
    'mmdet::_base_/models/retinanet_r50_fpn.py',
    '../_base_/datasets/coco500_detection_augm.py',
    '../_base_/schedules/sgd_100e.py', '../_base_/default_runtime.py'
]
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='APLossRetinaHead',
        anchor_generator=dict(scales_per_octave=2),
        bbox_coder=dict(target_stds=[0.1, 0.1, 0.2, 0.2]),
        loss_cls=dict(
            _delete_=True, type='APLoss', use_sigmoid=True, delta=1.0,
            interpolated=True),
        loss_bbox=dict(_delete_=True, type='SmoothL1Loss', beta=1.0,
                       loss_weight=1.0)))

optim_wrapper = dict(optimizer=dict(lr=0.002))
