# aLRP DINO on the synthetic shapes data: dino_focal_tiny_synthetic.py with
# ALRPDINOHead (aLRP Loss in every decoder layer, the proposals and the
# denoising queries; E_loc from GIoU, tau 0.5; DINO's L1 loss) and
# SelfBalanceHook.
_base_ = [
    './dino_focal_tiny_synthetic.py', '../_base_/models/ranking_dino_heads.py'
]

model = {{_base_.alrp_dino}}
custom_hooks = [dict(type='SelfBalanceHook')]
