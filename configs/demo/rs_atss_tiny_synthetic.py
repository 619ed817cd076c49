# RS-ATSS on the synthetic shapes data: the focal baseline's tiny ATSS
# detector (atss_focal_tiny_synthetic.py) with RankSortATSSHead: no
# centerness, Rank & Sort Loss (delta 0.5) and its value-balanced,
# score-weighted GIoU loss; anchors, ATSS assignment and schedule as
# alrp_atss_tiny_synthetic.py. Tested at score_thr 0 (see the model base).
_base_ = [
    '../_base_/models/tiny_rs_atss_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
