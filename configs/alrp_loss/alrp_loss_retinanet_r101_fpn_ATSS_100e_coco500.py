# Paper Table 6 "aLRPLoss500, ResNet-101" (test-dev 42.8 AP; minival 42.2 in
# the official README): the R-50 ATSS config with a ResNet-101 backbone
# (torchvision weights), 500 scale, lr 0.008, decay at 75 and 95.
_base_ = './alrp_loss_retinanet_r50_fpn_ATSS_100e_coco500.py'

model = dict(
    backbone=dict(
        depth=101,
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet101')))
