# Paper Table 6 "aLRPLoss800, ResNeXt-101-64x4d-DCN" (test-dev 48.9 AP;
# minival 48.6 in the official README; 50.2 with multi-scale testing, which
# has no config): the X-101 800 config with modulated deformable convolutions
# (DCNv2, 1 group) in stages 2-4, lr 0.004, decay at 60 and 80.
_base_ = './alrp_loss_retinanet_x101_64x4d_fpn_ATSS_100e_coco800.py'

model = dict(
    backbone=dict(
        dcn=dict(type='DCNv2', deform_groups=1, fallback_on_stride=False),
        stage_with_dcn=(False, True, True, True)))
