# The ranking losses of paper Table 7 for a FoveaBox config: put this file
# after a FoveaBox config in _base_ and set model = {{_base_.alrp_fovea}}
# (aLRP Loss: GIoU, tau 0.5, SB; add SelfBalanceHook) or
# model = {{_base_.ap_loss_fovea}} (interpolated AP Loss + FoveaHead's
# Smooth L1, beta 0.11).
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)
alrp_fovea = dict(
    bbox_head=dict(
        type='ALRPFoveaHead',
        tau=0.5,
        loss_cls=dict(
            _delete_=True, type='ALRPLoss', use_sigmoid=True, delta=1.0,
            sb_init=50.0),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
ap_loss_fovea = dict(
    bbox_head=dict(
        type='APLossFoveaHead',
        loss_cls=dict(
            _delete_=True, type='APLoss', use_sigmoid=True, delta=1.0,
            interpolated=True)))
