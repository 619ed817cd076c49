# DINO on the synthetic shapes data: the tiny DINO of tiny_dino_r18.py with
# DINO's focal loss, L1 and GIoU losses, the baseline of the aLRP and RS
# DINO variants. Data and schedule (12 epochs, decay at 9 and 11, batch 16)
# as alrp_atss_tiny_synthetic.py, with DINO's optimiser settings: AdamW at
# lr 4e-4 (DINO's 1e-4, scaled for training from scratch), the backbone at
# 0.1x and gradients clipped at norm 0.1.
_base_ = [
    '../_base_/models/tiny_dino_r18.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
optim_wrapper = dict(
    optimizer=dict(lr=4e-4),
    clip_grad=dict(max_norm=0.1, norm_type=2),
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=0.1))))
