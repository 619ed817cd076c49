# RS-DINO on your own data: dino_focal_tiny_own_data.py with RankSortDINOHead
# (Rank & Sort Loss in every decoder layer, the proposals and the denoising
# queries; DINO's L1 and GIoU rescaled to the RS value).
_base_ = [
    './dino_focal_tiny_own_data.py', '../_base_/models/ranking_dino_heads.py'
]
model = {{_base_.rs_dino}}
