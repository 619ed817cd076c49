# Paper Table 7 "FoveaBox, AP Loss + Smooth L1" (minival 36.5 AP, 58.3 AP50,
# 38.2 AP75, 11.3 AP90, 69.8 oLRP): FoveaBox R-50 with interpolated AP Loss
# and Smooth L1 (beta 0.11) averaged over the positives' coordinates, 500
# scale, lr 0.002, decay at 75 and 95.
_base_ = [
    './fovea_r50_fpn_4x4_100e_coco500.py',
    '../_base_/models/ranking_fovea_heads.py'
]

model = {{_base_.ap_loss_fovea}}
optim_wrapper = dict(optimizer=dict(lr=0.002))
