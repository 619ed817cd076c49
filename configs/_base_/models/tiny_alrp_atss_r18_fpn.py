# The tiny detector of tiny_retinanet_r18_fpn.py with ALRPATSSHead: aLRP
# Loss (delta 1, SB starting at 50) with GIoU, tau 0.5, ATSS assignment, and
# the SelfBalanceHook that updates the SB weight at every epoch end.
_base_ = './tiny_retinanet_r18_fpn.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='ALRPATSSHead',
        tau=0.5,
        loss_cls=dict(
            type='ALRPLoss', use_sigmoid=True, delta=1.0, sb_init=50.0),
        loss_bbox=dict(type='GIoULoss', reduction='none')))
custom_hooks = [dict(type='SelfBalanceHook')]
