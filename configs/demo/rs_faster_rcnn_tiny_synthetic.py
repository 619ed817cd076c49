# RS Faster R-CNN on the synthetic data: faster_rcnn_tiny_synthetic.py with
# Rank & Sort Loss in both stages as the RS paper's Faster R-CNN (RPN weight
# 0.2; RoI head ranking every proposal and gt box; value-balanced GIoU).
_base_ = [
    './faster_rcnn_tiny_synthetic.py',
    '../_base_/models/rs_faster_rcnn_heads.py'
]

model = {{_base_.rs_faster_rcnn}}
