# aLRP Loss on mmdet 3.3's RTMDet-S (44.5 box AP with QualityFocalLoss and
# GIoU weight 2). Only the loss changes: ALRPRTMDetSepBNHead, aLRP Loss
# (delta 1, SB from 50) with GIoU and tau 0.5, and SelfBalanceHook after
# RTMDet's EMAHook (the averaged copy gets the exact SB state). The
# DynamicSoftLabelAssigner, the 300-epoch recipe (mosaic and mixup, the
# stage-2 pipeline switch, ExpMomentumEMA), data and test settings are
# mmdet's. No result of aLRP Loss on RTMDet exists yet.
_base_ = [
    'mmdet::rtmdet/rtmdet_s_8xb32-300e_coco.py',
    '../_base_/models/ranking_rtmdet_heads.py'
]

model = {{_base_.alrp_rtmdet}}
custom_hooks = _base_.custom_hooks + [dict(type='SelfBalanceHook')]
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
