# RS paper README "RS-R-CNN R-50" (minival 39.6 box AP, 67.9 oLRP): Faster
# R-CNN R-50 FPN with Rank & Sort Loss in both stages, no sampling (RPN: all
# anchors, weight 0.2; RoI head: all proposals plus gts), GIoU balanced by
# value, test score_thr 0.40, 1x (12 epochs, decay at 8 and 11), lr 0.012
# for 4 GPUs x 4 images.
_base_ = [
    'mmdet::faster_rcnn/faster-rcnn_r50_fpn_1x_coco.py',
    '../_base_/models/rs_faster_rcnn_heads.py'
]

model = dict(_base_.rs_faster_rcnn, test_cfg=dict(rcnn=dict(score_thr=0.40)))
optim_wrapper = dict(optimizer=dict(lr=0.012))
train_dataloader = dict(batch_size=4, num_workers=4)
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
