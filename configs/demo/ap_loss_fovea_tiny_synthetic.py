# AP Loss FoveaBox on the synthetic shapes data: fovea_focal_tiny_synthetic.py
# with APLossFoveaHead (interpolated AP Loss + Smooth L1, beta 0.11), as the
# paper's Table 7 AP Loss row.
_base_ = './fovea_focal_tiny_synthetic.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='APLossFoveaHead',
        loss_cls=dict(
            _delete_=True, type='APLoss', use_sigmoid=True, delta=1.0,
            interpolated=True)))
