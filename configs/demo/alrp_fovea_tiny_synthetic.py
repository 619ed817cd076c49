# aLRP FoveaBox on the synthetic shapes data: fovea_focal_tiny_synthetic.py
# with ALRPFoveaHead (GIoU, tau 0.5, SB), as the paper's Table 7 aLRP row.
_base_ = [
    './fovea_focal_tiny_synthetic.py',
    '../_base_/models/ranking_fovea_heads.py'
]

model = {{_base_.alrp_fovea}}
custom_hooks = [dict(type='SelfBalanceHook')]
