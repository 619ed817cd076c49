# RS paper README "RS-R-CNN R-101-DCN, MS" (minival 47.6 box AP, 61.1
# oLRP): RS Faster R-CNN with ResNet-101 and DCNv2 (4 groups, stages 2-4),
# training scales (1333, 480-960 in steps of 80), 3x (36 epochs, decay at
# 27 and 33), single-scale test 1333x800.
_base_ = './ranksort_faster_rcnn_r50_fpn_1x_coco.py'

model = dict(
    backbone=dict(
        depth=101,
        dcn=dict(type='DCNv2', deform_groups=4, fallback_on_stride=False),
        stage_with_dcn=(False, True, True, True),
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet101')))
train_pipeline = [
    dict(type='LoadImageFromFile', backend_args={{_base_.backend_args}}),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(
        type='RandomChoiceResize',
        scales=[(1333, short) for short in range(480, 961, 80)],
        keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
max_epochs = 36
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
        end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        by_epoch=True,
        milestones=[27, 33],
        gamma=0.1)
]
