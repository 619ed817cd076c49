# RS-FCOS on the synthetic shapes data: fcos_focal_tiny_synthetic.py with
# RankSortFCOSHead (no centerness, Rank & Sort Loss delta 0.5, value-balanced
# GIoU), tested at score_thr 0 as RS-ATSS (docs/faq.md, "Rank & Sort scores
# and the test threshold").
_base_ = [
    './fcos_focal_tiny_synthetic.py',
    '../_base_/models/ranking_fcos_heads.py'
]

model = dict(_base_.rs_fcos, test_cfg=dict(score_thr=0.0))
