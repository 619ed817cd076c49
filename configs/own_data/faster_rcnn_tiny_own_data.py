# The Faster R-CNN baseline on your own data (coco_format_data.py): the
# demo's tiny Faster R-CNN (sampled RPN, Shared2FC RoI head, cross-entropy
# and L1), same schedule and runtime as the ATSS configs here.
_base_ = [
    '../_base_/models/tiny_faster_rcnn_r18_fpn.py', './coco_format_data.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
model = dict(roi_head=dict(bbox_head=dict(num_classes=len(_base_.classes))))
