# Quality-aware baseline on your own data (coco_format_data.py): VFNet
# (Varifocal Loss, GIoU before and after the star-shaped refinement; ATSS
# assignment), with the demo's tiny backbone, same schedule and runtime.
_base_ = [
    '../_base_/models/tiny_vfnet_r18_fpn.py', './coco_format_data.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
model = dict(bbox_head=dict(num_classes=len(_base_.classes)))
