# The tiny detector of tiny_retinanet_r18_fpn.py with mmdet's ATSSHead
# (Focal Loss + GIoU Loss weight 2 + centerness, ATSS tower without GN):
# the focal-loss baseline of the demo's aLRP and RS ATSS detectors.
_base_ = './tiny_retinanet_r18_fpn.py'

model = dict(
    bbox_head=dict(
        type='ATSSHead',
        norm_cfg=None,
        loss_cls=dict(
            type='FocalLoss',
            use_sigmoid=True,
            gamma=2.0,
            alpha=0.25,
            loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=2.0),
        loss_centerness=dict(
            type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0)))
