# aLRP DINO on your own data: dino_focal_tiny_own_data.py with ALRPDINOHead
# (aLRP Loss in every decoder layer, the proposals and the denoising
# queries) and SelfBalanceHook.
_base_ = [
    './dino_focal_tiny_own_data.py', '../_base_/models/ranking_dino_heads.py'
]
model = {{_base_.alrp_dino}}
custom_hooks = [dict(type='SelfBalanceHook')]
