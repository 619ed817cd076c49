# RS-DINO on the synthetic shapes data: dino_focal_tiny_synthetic.py with
# RankSortDINOHead (Rank & Sort Loss, delta 2, in every decoder layer,
# the proposals and the denoising queries; DINO's L1 and GIoU losses
# rescaled to the RS value). DINO keeps its top-scoring boxes at test time
# (no score threshold).
_base_ = [
    './dino_focal_tiny_synthetic.py', '../_base_/models/ranking_dino_heads.py'
]

model = {{_base_.rs_dino}}
