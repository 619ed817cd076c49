# aLRP FoveaBox on the synthetic shapes data: fovea_focal_tiny_synthetic.py
# with ALRPFoveaHead (GIoU, tau 0.5, SB), as the paper's Table 7 aLRP row.
_base_ = './fovea_focal_tiny_synthetic.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='ALRPFoveaHead',
        tau=0.5,
        loss_cls=dict(
            _delete_=True, type='ALRPLoss', use_sigmoid=True, delta=1.0,
            sb_init=50.0),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
custom_hooks = [dict(type='SelfBalanceHook')]
