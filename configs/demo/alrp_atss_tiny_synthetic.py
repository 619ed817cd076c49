# aLRP Loss (GIoU + ATSS) on the synthetic shapes data: the tiny RetinaNet
# (ResNet-18 of base width 16, FPN, 96x96, from scratch) with ALRPATSSHead,
# which learns on a CPU in minutes. tools/demo.py writes the data; or
#   python -m alrp_mmdet.datasets.synthetic data/synthetic
_base_ = [
    '../_base_/models/tiny_alrp_atss_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
