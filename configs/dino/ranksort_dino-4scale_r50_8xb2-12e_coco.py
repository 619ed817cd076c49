# Rank & Sort Loss on mmdet 3.3's DINO-4scale R-50 12 epochs (its baseline:
# 49.0 box AP). Only the loss changes: RankSortDINOHead (RS Loss, delta
# 2, in every decoder layer, the two-stage proposals and the denoising
# queries; DINO's L1 and GIoU losses rescaled to the RS value, as the
# bucketed-losses paper trains Co-DETR); matcher, schedule, data and test
# settings are mmdet's. No RS result exists for DINO (Co-Deformable-DETR
# R-50 12e: 49.3 -> 50.1 with RS Loss in that paper's mmdet 2.25 fork).
_base_ = [
    'mmdet::dino/dino-4scale_r50_8xb2-12e_coco.py',
    '../_base_/models/ranking_dino_heads.py'
]

model = {{_base_.rs_dino}}
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
