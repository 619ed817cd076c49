# aLRP Loss on mmdet 3.3's DINO-4scale R-50 12 epochs (its baseline: 49.0
# box AP with focal loss, L1 and GIoU losses). Only the loss changes:
# ALRPDINOHead (aLRP Loss, delta 1, SB from 50, in every decoder layer, the
# two-stage proposals and the denoising queries; E_loc from GIoU with tau
# 0.5 in place of the GIoU loss; DINO's L1 loss kept) and SelfBalanceHook;
# matcher, schedule (8 GPUs x 2 images, AdamW lr 1e-4), data and test
# settings are mmdet's. No aLRP result exists for DINO.
_base_ = [
    'mmdet::dino/dino-4scale_r50_8xb2-12e_coco.py',
    '../_base_/models/ranking_dino_heads.py'
]

model = {{_base_.alrp_dino}}
custom_hooks = [dict(type='SelfBalanceHook')]
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
