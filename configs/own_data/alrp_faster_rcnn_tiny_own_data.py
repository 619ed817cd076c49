# aLRP Faster R-CNN on your own data: faster_rcnn_tiny_own_data.py with aLRP
# Loss in both stages, as configs/demo/alrp_faster_rcnn_tiny_synthetic.py
# (one SB weight each).
_base_ = [
    './faster_rcnn_tiny_own_data.py',
    '../_base_/models/alrp_faster_rcnn_heads.py'
]
model = {{_base_.alrp_faster_rcnn}}
