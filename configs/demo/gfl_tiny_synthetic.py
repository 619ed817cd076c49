# Quality-aware baseline for the demo: GFL (Quality Focal Loss, Distribution
# Focal Loss, GIoU; ATSS assignment), with the tiny backbone, neck, data and
# schedule of the demo's ATSS detectors (atss_focal_tiny_synthetic.py,
# alrp_atss_tiny_synthetic.py). Compared with them by
# tools/analysis_tools/compare_losses.py (docs/loss_comparison.md).
_base_ = [
    '../_base_/models/tiny_gfl_r18_fpn.py',
    '../_base_/datasets/synthetic_shapes.py',
    '../_base_/schedules/adamw_12e.py', '../_base_/demo_runtime.py'
]
