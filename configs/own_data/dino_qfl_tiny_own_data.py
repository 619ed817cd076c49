# Quality-aware DINO baseline on your own data: dino_focal_tiny_own_data.py
# with Quality Focal Loss (IoU targets for the matched queries), as
# configs/demo/dino_qfl_tiny_synthetic.py.
_base_ = [
    './dino_focal_tiny_own_data.py',
    '../_base_/models/dino_quality_focal_loss.py'
]
model = {{_base_.dino_qfl}}
