# RS-RTMDet on the synthetic shapes data: rtmdet_qfl_tiny_synthetic.py with
# RankSortRTMDetSepBNHead (Rank & Sort Loss delta 0.5, value-balanced GIoU);
# RTMDet's test threshold 0.001 already suits RS's low scores.
_base_ = [
    './rtmdet_qfl_tiny_synthetic.py',
    '../_base_/models/ranking_rtmdet_heads.py'
]

model = {{_base_.rs_rtmdet}}
