# Quality-aware baseline on your own data (coco_format_data.py): TOOD
# (task-aligned head and assignment, Quality Focal Loss, GIoU), with the
# demo's tiny backbone, same schedule and runtime.
_base_ = [
    '../_base_/models/tiny_tood_r18_fpn.py', './coco_format_data.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
model = dict(bbox_head=dict(num_classes=len(_base_.classes)))
