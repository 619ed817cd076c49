# Quality-aware DINO baseline on your own data: dino_focal_tiny_own_data.py
# with Quality Focal Loss (IoU targets for the matched queries), as
# configs/demo/dino_qfl_tiny_synthetic.py.
_base_ = './dino_focal_tiny_own_data.py'
model = dict(
    bbox_head=dict(
        loss_cls=dict(
            _delete_=True, type='QualityFocalLoss', use_sigmoid=True,
            beta=2.0, loss_weight=1.0)))
