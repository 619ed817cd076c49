# Paper Table 8 "Faster R-CNN, aLRP Loss" (minival 40.7 AP, 60.7 AP50, 43.3
# AP75, 18.0 AP90, 66.7 oLRP): both stages trained with aLRP Loss and no
# sampling: the RPN ranks all anchors (GIoU, tau 0.7, loss weight 0.2), the
# RoI head ranks all proposals of the batch with a sigmoid classifier (GIoU,
# tau 0.5); each has its own SB weight. 500 scale, lr 0.012, decay at 75/95.
_base_ = './faster_rcnn_r50_fpn_100e_coco500.py'
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
        rpn=dict(
            _delete_=True,
            assigner=dict(
                type='MaxIoUAssigner',
                pos_iou_thr=0.7,
                neg_iou_thr=0.3,
                min_pos_iou=0.3,
                match_low_quality=True,
                ignore_iof_thr=-1),
            allowed_border=-1,
            pos_weight=-1,
            debug=False),
        rcnn=dict(sampler=dict(_delete_=True, type='PseudoSampler'))))

optim_wrapper = dict(optimizer=dict(lr=0.012))
custom_hooks = [dict(type='SelfBalanceHook')]
