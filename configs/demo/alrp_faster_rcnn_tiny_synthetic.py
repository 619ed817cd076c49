# aLRP Faster R-CNN on the synthetic data: faster_rcnn_tiny_synthetic.py with
# both stages trained by aLRP Loss without sampling, as the paper's Table 8
# aLRP row (RPN: tau 0.7, weight 0.2; RoI head: sigmoid classifier, tau 0.5;
# one SB weight each).
_base_ = [
    './faster_rcnn_tiny_synthetic.py',
    '../_base_/models/alrp_faster_rcnn_heads.py'
]

model = {{_base_.alrp_faster_rcnn}}
