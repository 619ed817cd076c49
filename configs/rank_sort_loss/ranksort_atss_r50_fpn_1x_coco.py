# RS paper README "RS-ATSS R-50" (minival 39.9 box AP, 67.9 oLRP): ATSS
# R-50 FPN with RankSortATSSHead (mmdet's ATSS tower, GN, no centerness),
# 3 anchors per location (octave base scale 4, 3 scales, ratio 1), coder
# stds 0.1/0.1/0.2/0.2 and test NMS 0.6 (as mmdet's ATSS), Rank & Sort Loss
# (delta 0.5) and value-balanced GIoU, 1x, lr 0.008 for 4 GPUs x 4 images.
_base_ = 'mmdet::atss/atss_r50_fpn_1x_coco.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='RankSortATSSHead',
        anchor_generator=dict(octave_base_scale=4, scales_per_octave=3),
        loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
optim_wrapper = dict(optimizer=dict(lr=0.008))
train_dataloader = dict(batch_size=4, num_workers=4)
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
