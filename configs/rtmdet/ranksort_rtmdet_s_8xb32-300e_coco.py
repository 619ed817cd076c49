# Rank & Sort Loss on mmdet 3.3's RTMDet-S (44.5 box AP with
# QualityFocalLoss and GIoU weight 2). Only the loss changes:
# RankSortRTMDetSepBNHead, RS Loss (delta 0.5) with value-balanced GIoU.
# The DynamicSoftLabelAssigner, the 300-epoch recipe (mosaic and mixup, the
# stage-2 pipeline switch, ExpMomentumEMA), data and test settings (score
# threshold 0.001, low enough for RS's scores) are mmdet's. No result of RS
# Loss on RTMDet exists yet.
_base_ = [
    'mmdet::rtmdet/rtmdet_s_8xb32-300e_coco.py',
    '../_base_/models/ranking_rtmdet_heads.py'
]

model = {{_base_.rs_rtmdet}}
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
