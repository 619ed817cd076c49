# The FCOS baseline on your own data (coco_format_data.py): the demo's tiny
# FCOS (focal loss, IoU loss, centerness), same schedule and runtime as the
# ATSS configs here. Regress ranges follow image_size (the demo's 32 / 64
# at 96 px): a level takes objects up to a third, two thirds and all of
# the image side.
_base_ = [
    '../_base_/models/tiny_fcos_r18_fpn.py', './coco_format_data.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
model = dict(
    bbox_head=dict(
        num_classes=len(_base_.classes),
        regress_ranges=((-1, _base_.image_size // 3),
                        (_base_.image_size // 3, 2 * _base_.image_size // 3),
                        (2 * _base_.image_size // 3, 1e8))))
