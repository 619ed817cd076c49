# Tiny Mask R-CNN for the synthetic shapes: tiny_faster_rcnn_r18_fpn.py
# with mmdet's mask branch (its own RoIAlign of 14 x 14, an FCNMaskHead of
# 2 convs of 32 channels, 28 x 28 masks, per-class sigmoid cross-entropy)
# and MaxIoU with low-quality matches in the RoI head, as mmdet's Mask
# R-CNN.
_base_ = './tiny_faster_rcnn_r18_fpn.py'

model = dict(
    type='MaskRCNN',
    roi_head=dict(
        mask_roi_extractor=dict(
            type='SingleRoIExtractor',
            roi_layer=dict(type='RoIAlign', output_size=14, sampling_ratio=0),
            out_channels=32,
            featmap_strides=[8, 16, 32]),
        mask_head=dict(
            type='FCNMaskHead',
            num_convs=2,
            in_channels=32,
            conv_out_channels=32,
            num_classes=3,
            loss_mask=dict(
                type='CrossEntropyLoss', use_mask=True, loss_weight=1.0))),
    train_cfg=dict(
        rcnn=dict(assigner=dict(match_low_quality=True), mask_size=28)),
    test_cfg=dict(rcnn=dict(mask_thr_binary=0.5)))
