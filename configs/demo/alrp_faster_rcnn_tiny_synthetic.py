# aLRP Faster R-CNN on the synthetic data: faster_rcnn_tiny_synthetic.py with
# both stages trained by aLRP Loss without sampling, as the paper's Table 8
# aLRP row (RPN: tau 0.7, weight 0.2; RoI head: sigmoid classifier, tau 0.5;
# one SB weight each).
_base_ = './faster_rcnn_tiny_synthetic.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
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
        rpn=dict(sampler=None),
        rcnn=dict(sampler=dict(_delete_=True, type='PseudoSampler'))))
custom_hooks = [dict(type='SelfBalanceHook')]
