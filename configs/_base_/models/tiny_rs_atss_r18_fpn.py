# RS-ATSS at tiny scale: tiny_atss_focal_r18_fpn.py (the ATSS tower, no GN)
# with RankSortATSSHead: no centerness, Rank & Sort Loss (delta 0.5) and its
# value-balanced, score-weighted GIoU loss.
# Test threshold 0: RS Loss fixes the order of the scores, not their level,
# and with delta 0.5 its correct detections score around 0.07 on the
# synthetic data, so mmdet's usual 0.05 would drop some of them
# (docs/synthetic_training.md); max_per_img still keeps 100 per image.
_base_ = './tiny_atss_focal_r18_fpn.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='RankSortATSSHead',
        loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')),
    test_cfg=dict(score_thr=0.0))
