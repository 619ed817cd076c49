# Rank & Sort Loss on mmdet 3.3's FCOS R-50-caffe FPN GN-head 1x (its
# baseline: 36.6 box AP with Focal Loss, IoU loss and centerness). Only the
# loss changes: RankSortFCOSHead (no centerness, as RS-ATSS), RS Loss
# (delta 0.5) with value-balanced GIoU; assignment, schedule, data and test
# settings (score_thr 0.05, as the RS paper's RS-ATSS) are mmdet's. No RS
# result exists for FCOS (the RS repository's FCOS configs name a head that
# does not exist).
_base_ = [
    'mmdet::fcos/fcos_r50-caffe_fpn_gn-head_1x_coco.py',
    '../_base_/models/ranking_fcos_heads.py'
]

model = {{_base_.rs_fcos}}
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
