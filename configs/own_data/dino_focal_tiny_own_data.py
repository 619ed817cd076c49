# The DINO baseline on your own data (coco_format_data.py): the demo's tiny
# DINO (focal loss, L1, GIoU; 30 queries: raise model.num_queries to a few
# times the most objects an image of yours holds), with DINO's optimiser
# settings as configs/demo/dino_focal_tiny_synthetic.py.
_base_ = [
    '../_base_/models/tiny_dino_r18.py', './coco_format_data.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
model = dict(bbox_head=dict(num_classes=len(_base_.classes)))
optim_wrapper = dict(
    optimizer=dict(lr=4e-4),
    clip_grad=dict(max_norm=0.1, norm_type=2),
    paramwise_cfg=dict(custom_keys=dict(backbone=dict(lr_mult=0.1))))
