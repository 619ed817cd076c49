# RS-RTMDet on your own data: rtmdet_qfl_tiny_own_data.py with
# RankSortRTMDetSepBNHead (Rank & Sort Loss delta 0.5, value-balanced GIoU).
_base_ = [
    './rtmdet_qfl_tiny_own_data.py', '../_base_/models/ranking_rtmdet_heads.py'
]
model = {{_base_.rs_rtmdet}}
