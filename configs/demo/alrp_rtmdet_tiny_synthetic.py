# aLRP RTMDet on the synthetic shapes data: rtmdet_qfl_tiny_synthetic.py
# with ALRPRTMDetSepBNHead (GIoU, tau 0.5) and SelfBalanceHook after the EMA
# hook (the averaged copy gets the exact SB state, not an average of it).
_base_ = [
    './rtmdet_qfl_tiny_synthetic.py',
    '../_base_/models/ranking_rtmdet_heads.py'
]

model = {{_base_.alrp_rtmdet}}
custom_hooks = _base_.custom_hooks + [dict(type='SelfBalanceHook')]
