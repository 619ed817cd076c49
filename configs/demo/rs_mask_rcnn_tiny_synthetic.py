# RS-Mask R-CNN on the synthetic shapes data: mask_rcnn_tiny_synthetic.py
# with Rank & Sort Loss in both stages as RS Faster R-CNN and
# RankSortRoIHead's Dice mask loss balanced by value (RS paper, reference
# 2.5-2.6), tested at score_thr 0 as the other RS demos.
_base_ = [
    './mask_rcnn_tiny_synthetic.py',
    '../_base_/models/rs_faster_rcnn_heads.py'
]

model = dict(_base_.rs_mask_rcnn, test_cfg=dict(rcnn=dict(score_thr=0.0)))
