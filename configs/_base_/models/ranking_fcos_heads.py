# Ranking losses for an FCOS config: put this file after an FCOS config in
# _base_ and set model = {{_base_.alrp_fcos}} (aLRP Loss: GIoU, tau 0.5,
# SB from 50; add SelfBalanceHook) or model = {{_base_.rs_fcos}} (Rank &
# Sort Loss, delta 0.5, value-balanced GIoU). Both heads drop FCOS's
# centerness branch; assignment (regress ranges, center sampling) and the
# rest of the config stay FCOS's.
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)
alrp_fcos = dict(
    bbox_head=dict(
        type='ALRPFCOSHead',
        tau=0.5,
        loss_cls=dict(
            _delete_=True, type='ALRPLoss', use_sigmoid=True, delta=1.0,
            sb_init=50.0),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
rs_fcos = dict(
    bbox_head=dict(
        type='RankSortFCOSHead',
        loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
