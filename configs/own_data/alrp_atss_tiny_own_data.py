# aLRP Loss on your own data (coco_format_data.py): the demo's tiny aLRP
# ATSS detector, its AdamW schedule (12 epochs) and runtime.
_base_ = [
    '../_base_/models/tiny_alrp_atss_r18_fpn.py', './coco_format_data.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
model = dict(bbox_head=dict(num_classes=len(_base_.classes)))
