# RS paper README "RS-R-CNN R-50 + Carafe" (minival 40.8 box AP, 66.9
# oLRP): ranksort_faster_rcnn_r50_fpn_1x_coco.py with mmdet's FPN_CARAFE
# neck. CARAFE is a CUDA-only mmcv op.
_base_ = [
    './ranksort_faster_rcnn_r50_fpn_1x_coco.py',
    '../_base_/models/fpn_carafe_neck.py'
]

model = dict(
    data_preprocessor=dict(pad_size_divisor=64),
    neck={{_base_.fpn_carafe_neck}})
