# Paper Table 6 "aLRPLoss800, ResNeXt-101-64x4d" (test-dev 47.8 AP; minival
# 47.2 in the official README): the R-101 800 config with a ResNeXt-101 64x4d
# backbone (open-mmlab weights), lr 0.004, decay at 60 and 80.
_base_ = './alrp_loss_retinanet_r101_fpn_ATSS_100e_coco800.py'

model = dict(
    backbone=dict(
        type='ResNeXt', groups=64, base_width=4,
        init_cfg=dict(checkpoint='open-mmlab://resnext101_64x4d')))
