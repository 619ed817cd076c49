# Paper Table 7 "FoveaBox, aLRP Loss" (minival 39.7 AP, 58.8 AP50, 41.5
# AP75, 18.2 AP90, 67.2 oLRP): FoveaBox R-50 with only the loss replaced by
# aLRP Loss (GIoU, tau 0.5, SB), 500 scale, lr 0.008 (RetinaNet's), decay at
# 75 and 95.
_base_ = [
    './fovea_r50_fpn_4x4_100e_coco500.py',
    '../_base_/models/ranking_fovea_heads.py'
]

model = {{_base_.alrp_fovea}}
optim_wrapper = dict(optimizer=dict(lr=0.008))
custom_hooks = [dict(type='SelfBalanceHook')]
