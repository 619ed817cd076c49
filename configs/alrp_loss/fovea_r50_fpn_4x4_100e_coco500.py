# Paper Table 7 "FoveaBox, Focal Loss + Smooth L1" (minival 38.3 AP, 57.8
# AP50, 40.7 AP75, 15.7 AP90, 68.8 oLRP): the FoveaBox baseline, R-50, 500
# scale, lr 0.02, decay at 75 and 95.
_base_ = [
    '../_base_/models/fovea_r50_fpn.py',
    '../_base_/datasets/coco500_detection_augm.py',
    '../_base_/schedules/sgd_100e.py', '../_base_/default_runtime.py'
]

optim_wrapper = dict(optimizer=dict(lr=0.02))
_base_.param_scheduler[1].milestones = [75, 95]
param_scheduler = _base_.param_scheduler
