# Paper Table 6 "aLRPLoss500, ResNeXt-101-64x4d" (test-dev 44.6 AP; minival
# 44.5 in the official README): the R-50 ATSS config with a ResNeXt-101 64x4d
# backbone (open-mmlab weights), 500 scale, lr 0.008, decay at 75 and 95.
_base_ = './alrp_loss_retinanet_r50_fpn_ATSS_100e_coco500.py'

model = dict(
    backbone=dict(
        type='ResNeXt', depth=101, groups=64, base_width=4,
        init_cfg=dict(type='Pretrained',
                      checkpoint='open-mmlab://resnext101_64x4d')))
