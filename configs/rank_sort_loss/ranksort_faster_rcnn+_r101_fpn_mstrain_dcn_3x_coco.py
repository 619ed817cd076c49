# RS paper README "RS-R-CNN R-101-DCN + Carafe, MS" (minival 47.7 box AP,
# 60.9 oLRP): ranksort_faster_rcnn_r101_fpn_mstrain_dcn_3x_coco.py with
# mmdet's FPN_CARAFE neck (a CUDA-only mmcv op).
_base_ = [
    './ranksort_faster_rcnn_r101_fpn_mstrain_dcn_3x_coco.py',
    '../_base_/models/fpn_carafe_neck.py'
]

model = dict(
    data_preprocessor=dict(pad_size_divisor=64),
    neck={{_base_.fpn_carafe_neck}})
