# Paper Table 8 "Faster R-CNN, CE + L1" (minival 37.8 AP, 58.1 AP50, 41.0
# AP75, 12.2 AP90, 69.3 oLRP): mmdet's Faster R-CNN R-50 FPN (sampled RPN
# and RoI head, cross-entropy and L1), 500 scale, lr 0.04, decay at 75 and
# 95.
_base_ = [
    'mmdet::_base_/models/faster-rcnn_r50_fpn.py',
    '../_base_/datasets/coco500_detection_augm.py',
    '../_base_/schedules/sgd_100e.py', '../_base_/default_runtime.py'
]

optim_wrapper = dict(optimizer=dict(lr=0.04))
_base_.param_scheduler[1].milestones = [75, 95]
param_scheduler = _base_.param_scheduler
