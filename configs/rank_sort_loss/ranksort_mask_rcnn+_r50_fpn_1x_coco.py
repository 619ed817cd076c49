# RS paper README "RS-Mask R-CNN R-50 + Carafe" (minival 41.1 box AP, 66.6
# oLRP; 37.3 mask AP, 69.4 mask oLRP): ranksort_mask_rcnn_r50_fpn_1x_coco.py
# with mmdet's FPN_CARAFE neck. CARAFE is a CUDA-only mmcv op.
_base_ = [
    './ranksort_mask_rcnn_r50_fpn_1x_coco.py',
    '../_base_/models/fpn_carafe_neck.py'
]

model = dict(
    data_preprocessor=dict(pad_size_divisor=64),
    neck={{_base_.fpn_carafe_neck}})
