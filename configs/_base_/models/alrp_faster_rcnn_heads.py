# aLRP Loss in both stages of a Faster R-CNN config (paper Table 8, reference
# 1.4): the RPN ranks all anchors (GIoU, tau 0.7, loss weight 0.2) and the
# RoI head all proposals of the batch with a sigmoid classifier (GIoU, tau
# 0.5), without sampling; each has its own SB weight. RankingRoIHead checks
# every gt box before the proposals are assigned. Put this file after a
# Faster R-CNN config in _base_ and set
#   model = {{_base_.alrp_faster_rcnn}}
_base_ = './rpn_without_sampling.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)
alrp_faster_rcnn = dict(
    rpn_head=dict(
        type='ALRPRPNHead',
        head_weight=0.2,
        tau=0.7,
        bbox_coder=dict(target_stds=[0.1, 0.1, 0.2, 0.2]),
        loss_cls=dict(
            _delete_=True, type='ALRPLoss', use_sigmoid=True, delta=1.0,
            sb_init=50.0),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')),
    roi_head=dict(
        type='RankingRoIHead',
        bbox_head=dict(
            type='ALRPShared2FCBBoxHead',
            tau=0.5,
            reg_decoded_bbox=True,
            loss_cls=dict(
                _delete_=True, type='ALRPLoss', use_sigmoid=True, delta=1.0,
                sb_init=50.0),
            loss_bbox=dict(_delete_=True, type='GIoULoss',
                           reduction='none'))),
    train_cfg=dict(
        rpn={{_base_.rpn_without_sampling}},
        rcnn=dict(sampler=dict(_delete_=True, type='PseudoSampler'))))
custom_hooks = [dict(type='SelfBalanceHook')]
