# RS-ATSS on the synthetic shapes data: atss_focal_tiny_synthetic.py (the
# demo's tiny detector with mmdet's ATSS tower, no GN) with
# RankSortATSSHead: no centerness, Rank & Sort Loss (delta 0.5) and its
# value-balanced, score-weighted GIoU loss; anchors, ATSS assignment and
# schedule as alrp_atss_tiny_synthetic.py.
_base_ = './atss_focal_tiny_synthetic.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='RankSortATSSHead',
        loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
