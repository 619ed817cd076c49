# RS-FCOS on your own data: fcos_focal_tiny_own_data.py with RankSortFCOSHead
# (no centerness, Rank & Sort Loss delta 0.5, value-balanced GIoU), tested
# at score_thr 0 as configs/demo/rs_fcos_tiny_synthetic.py.
_base_ = [
    './fcos_focal_tiny_own_data.py', '../_base_/models/ranking_fcos_heads.py'
]
model = dict(_base_.rs_fcos, test_cfg=dict(score_thr=0.0))
