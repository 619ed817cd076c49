# Quality-aware baseline for the demo's DINO: dino_focal_tiny_synthetic.py
# with Quality Focal Loss, whose target for a matched query is the IoU of its
# box. Compared with focal, aLRP and RS DINO by
# tools/analysis_tools/compare_losses.py (docs/loss_comparison.md).
_base_ = [
    './dino_focal_tiny_synthetic.py',
    '../_base_/models/dino_quality_focal_loss.py'
]
model = {{_base_.dino_qfl}}
