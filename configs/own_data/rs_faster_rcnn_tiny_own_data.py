# RS Faster R-CNN on your own data: faster_rcnn_tiny_own_data.py with Rank &
# Sort Loss in both stages, as configs/demo/rs_faster_rcnn_tiny_synthetic.py.
_base_ = [
    './faster_rcnn_tiny_own_data.py',
    '../_base_/models/rs_faster_rcnn_heads.py'
]
model = {{_base_.rs_faster_rcnn}}
