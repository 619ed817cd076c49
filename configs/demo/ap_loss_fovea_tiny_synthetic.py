# AP Loss FoveaBox on the synthetic shapes data: fovea_focal_tiny_synthetic.py
# with APLossFoveaHead (interpolated AP Loss + Smooth L1, beta 0.11), as the
# paper's Table 7 AP Loss row.
_base_ = [
    './fovea_focal_tiny_synthetic.py',
    '../_base_/models/ranking_fovea_heads.py'
]

model = {{_base_.ap_loss_fovea}}
