# aLRP RTMDet on your own data: rtmdet_qfl_tiny_own_data.py with
# ALRPRTMDetSepBNHead (GIoU, tau 0.5) and SelfBalanceHook after the EMA hook.
_base_ = [
    './rtmdet_qfl_tiny_own_data.py', '../_base_/models/ranking_rtmdet_heads.py'
]
model = {{_base_.alrp_rtmdet}}
custom_hooks = _base_.custom_hooks + [dict(type='SelfBalanceHook')]
