# Paper Table 2 "aLRP Loss, IoU, without SB" (minival 36.9 AP; Table 3's
# w_r = 1): the IoU config with SB switched off and the localisation weight
# fixed at 1.
_base_ = './alrp_loss_retinanet_r50_fpn_iou_100e_coco500.py'

custom_hooks = [dict(type='SelfBalanceHook', fixed_weight=1.0)]
