# aLRP FCOS on the synthetic shapes data: fcos_focal_tiny_synthetic.py with
# ALRPFCOSHead (no centerness, GIoU, tau 0.5, SB).
_base_ = [
    './fcos_focal_tiny_synthetic.py',
    '../_base_/models/ranking_fcos_heads.py'
]

model = {{_base_.alrp_fcos}}
custom_hooks = [dict(type='SelfBalanceHook')]
