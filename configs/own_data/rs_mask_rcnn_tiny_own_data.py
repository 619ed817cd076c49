# RS-Mask R-CNN on your own data: mask_rcnn_tiny_own_data.py with Rank & Sort
# Loss in both stages and RankSortRoIHead's Dice mask loss balanced by
# value, as configs/demo/rs_mask_rcnn_tiny_synthetic.py.
_base_ = [
    './mask_rcnn_tiny_own_data.py', '../_base_/models/rs_faster_rcnn_heads.py'
]
model = {{_base_.rs_mask_rcnn}}
