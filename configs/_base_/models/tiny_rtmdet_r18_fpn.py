# Tiny RTMDet for the synthetic shapes (see tiny_r18_fpn.py): mmdet's
# RTMDetSepBNHead (shared convs, BN per level, SiLU) with its point priors
# (offset 0), DynamicSoftLabelAssigner, QualityFocalLoss and GIoU loss of
# weight 2, and RTMDet's test settings (NMS 0.65, score_thr 0.001). No
# SyncBN (CPU runs). RTMDet's ExpMomentumEMA (validation and checkpoints
# use the averaged weights).
_base_ = './tiny_r18_fpn.py'

model = dict(
    type='RTMDet',
    use_syncbn=False,
    bbox_head=dict(
        type='RTMDetSepBNHead',
        num_classes=3,
        in_channels=32,
        stacked_convs=2,
        feat_channels=32,
        anchor_generator=dict(
            type='MlvlPointGenerator', offset=0, strides=[8, 16, 32]),
        bbox_coder=dict(type='DistancePointBBoxCoder'),
        loss_cls=dict(
            type='QualityFocalLoss',
            use_sigmoid=True,
            beta=2.0,
            loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        with_objectness=False,
        exp_on_reg=False,
        share_conv=True,
        pred_kernel_size=1,
        act_cfg=dict(type='SiLU', inplace=True)),
    train_cfg=dict(
        assigner=dict(type='DynamicSoftLabelAssigner', topk=13),
        allowed_border=-1,
        pos_weight=-1,
        debug=False),
    test_cfg=dict(
        nms_pre=1000,
        min_bbox_size=0,
        score_thr=0.001,
        nms=dict(type='nms', iou_threshold=0.65),
        max_per_img=100))
custom_hooks = [
    dict(
        type='EMAHook',
        ema_type='ExpMomentumEMA',
        momentum=0.0002,
        update_buffers=True,
        priority=49)
]
