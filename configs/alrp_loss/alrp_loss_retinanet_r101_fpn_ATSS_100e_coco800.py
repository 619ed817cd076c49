# Paper Table 6 "aLRPLoss800, ResNet-101" (test-dev 45.9 AP; minival 45.4 in
# the official README): aLRP RetinaNet with ATSS, ResNet-101, 3 anchors per
# location (3 scales, ratio 1), 800 scale (4 GPUs x 4 images), lr 0.004,
# decay at 60 and 80.
_base_ = [
    '../_base_/models/alrp_retinanet_r50_fpn.py',
    '../_base_/datasets/coco800_detection_augm.py',
    '../_base_/schedules/sgd_100e.py', '../_base_/default_runtime.py'
]

model = dict(
    backbone=dict(
        depth=101,
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet101')),
    bbox_head=dict(
        type='ALRPATSSHead',
        anchor_generator=dict(scales_per_octave=3, ratios=[1.0])),
    train_cfg=dict(assigner=dict(_delete_=True, type='ATSSAssigner', topk=9)))

optim_wrapper = dict(optimizer=dict(lr=0.004))
# learning rates of the 800 scale are given for 4 GPUs x 4 images
auto_scale_lr = dict(base_batch_size=16)
