# RS paper README "RS-PAA R-50" (minival 41.0 box AP, 67.3 oLRP): PAA R-50
# FPN with RankSortPAAHead (mmdet's PAA tower, GN, no IoU branch; GMM
# re-assignment of the MaxIoU 0.1 candidates scored by focal + GIoU loss,
# topk 9), 3 anchors per location (octave base scale 4, 3 scales, ratio 1),
# decoded-box regression, Rank & Sort Loss (delta 0.5) and value-balanced
# GIoU, test NMS 0.6 with score voting, 1x, lr 0.008 for 4 GPUs x 4 images.
_base_ = 'mmdet::paa/paa_r50_fpn_1x_coco.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)

model = dict(
    bbox_head=dict(
        type='RankSortPAAHead',
        anchor_generator=dict(octave_base_scale=4, scales_per_octave=3),
        loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
        loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none')))
optim_wrapper = dict(optimizer=dict(lr=0.008))
train_dataloader = dict(batch_size=4, num_workers=4)
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
