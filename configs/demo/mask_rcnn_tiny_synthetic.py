# Mask R-CNN on the synthetic shapes data (with the generator's instance
# masks): the tiny Mask R-CNN of tiny_mask_rcnn_r18_fpn.py with mmdet's
# losses (RPN and RoI cross-entropy, L1, mask cross-entropy), the baseline
# of RS-Mask R-CNN; data and schedule as alrp_atss_tiny_synthetic.py, box
# and mask AP evaluated.
_base_ = [
    '../_base_/models/tiny_mask_rcnn_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
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
