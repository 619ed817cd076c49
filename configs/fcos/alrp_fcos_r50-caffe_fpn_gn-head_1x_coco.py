# aLRP Loss on mmdet 3.3's FCOS R-50-caffe FPN GN-head 1x (its baseline:
# 36.6 box AP with Focal Loss, IoU loss and centerness). Only the loss
# changes: ALRPFCOSHead (no centerness), aLRP Loss (delta 1, SB from 50)
# with GIoU and tau 0.5, and SelfBalanceHook; assignment, schedule (12
# epochs, SGD lr 0.01 for 8 GPUs x 2 images, gradient clipping), data and
# test settings are mmdet's. No aLRP result exists for FCOS: the paper
# trains its detectors 100 epochs.
_base_ = [
    'mmdet::fcos/fcos_r50-caffe_fpn_gn-head_1x_coco.py',
    '../_base_/models/ranking_fcos_heads.py'
]

model = {{_base_.alrp_fcos}}
custom_hooks = [dict(type='SelfBalanceHook')]
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
