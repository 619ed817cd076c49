# RS paper README "RS-Mask R-CNN R-50" (minival 40.0 box AP, 67.5 oLRP;
# 36.4 mask AP, 70.1 mask oLRP): Mask R-CNN R-50 FPN with Rank & Sort Loss
# in both stages as RS-R-CNN (RPN: all anchors, weight 0.2; RoI head: all
# proposals plus gts, MaxIoU with low-quality matches as mmdet's Mask R-CNN)
# and RankSortRoIHead's Dice mask loss balanced by value (at most 200
# positive RoIs per batch), test score_thr 0.40, 1x (12 epochs, decay at 8
# and 11), lr 0.012 for 4 GPUs x 4 images.
_base_ = [
    'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py',
    '../_base_/models/rs_faster_rcnn_heads.py'
]

model = dict(_base_.rs_mask_rcnn, test_cfg=dict(rcnn=dict(score_thr=0.40)))
optim_wrapper = dict(optimizer=dict(lr=0.012))
train_dataloader = dict(batch_size=4, num_workers=4)
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
