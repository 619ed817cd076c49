# aLRP FCOS on your own data: fcos_focal_tiny_own_data.py with ALRPFCOSHead
# (no centerness, GIoU, tau 0.5, SB), as configs/demo/alrp_fcos_tiny_synthetic.py.
_base_ = [
    './fcos_focal_tiny_own_data.py', '../_base_/models/ranking_fcos_heads.py'
]
model = {{_base_.alrp_fcos}}
custom_hooks = [dict(type='SelfBalanceHook')]
