# RS-Mask R-CNN on the synthetic shapes data: mask_rcnn_tiny_synthetic.py
# with Rank & Sort Loss in both stages as RS Faster R-CNN and
# RankSortRoIHead's Dice mask loss balanced by value (RS paper, reference
# 2.5-2.6); test threshold 0.05 as the tiny RS Faster R-CNN.
_base_ = [
    './mask_rcnn_tiny_synthetic.py',
    '../_base_/models/rs_faster_rcnn_heads.py'
]

model = {{_base_.rs_mask_rcnn}}
