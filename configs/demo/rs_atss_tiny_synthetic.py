# RS-ATSS on the synthetic shapes data: the demo's tiny RetinaNet-style
# detector (same anchors, ATSS assignment and schedule as
# alrp_atss_tiny_synthetic.py) with RankSortATSSHead: mmdet's ATSS tower
# without centerness (no GN, as the focal baseline), Rank & Sort Loss
# (delta 0.5) and its value-balanced, score-weighted GIoU loss.
_base_ = [
    '../_base_/models/tiny_retinanet_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='RankSortATSSHead',
        norm_cfg=None,
        loss_cls=dict(type='RankSortLoss', delta=0.5),
        loss_bbox=dict(type='GIoULoss', reduction='none')))
