# Ranking losses for an RTMDet config: put this file after an RTMDet config
# in _base_ and set model = {{_base_.alrp_rtmdet}} (aLRP Loss: GIoU, tau
# 0.5, SB from 50; add SelfBalanceHook to the config's custom_hooks) or
# model = {{_base_.rs_rtmdet}} (Rank & Sort Loss, delta 0.5, value-balanced
# GIoU), each in place of QualityFocalLoss and the GIoU loss of weight 2.
# Tower, points, the DynamicSoftLabelAssigner and inference stay RTMDet's.
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)
alrp_rtmdet = dict(
    bbox_head=dict(
        type='ALRPRTMDetSepBNHead',
        tau=0.5,
        loss_cls=dict(
            _delete_=True, type='ALRPLoss', use_sigmoid=True, delta=1.0,
            sb_init=50.0),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
rs_rtmdet = dict(
    bbox_head=dict(
        type='RankSortRTMDetSepBNHead',
        loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
