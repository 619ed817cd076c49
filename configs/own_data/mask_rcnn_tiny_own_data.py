# The Mask R-CNN baseline on your own data (coco_format_data.py; the
# annotations need instance masks, "segmentation"): the demo's tiny Mask
# R-CNN with mmdet's losses, box and mask AP evaluated.
_base_ = [
    '../_base_/models/tiny_mask_rcnn_r18_fpn.py', './coco_format_data.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
model = dict(
    roi_head=dict(
        bbox_head=dict(num_classes=len(_base_.classes)),
        mask_head=dict(num_classes=len(_base_.classes))))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='Resize', scale=(_base_.image_size, _base_.image_size),
         keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_evaluator = dict(metric=['bbox', 'segm'])
test_evaluator = val_evaluator
