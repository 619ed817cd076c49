# Quality-aware baseline for the demo's DINO: dino_focal_tiny_synthetic.py
# with Quality Focal Loss, whose target for a matched query is the IoU of its
# box (mmdet's DINOHead computes it when loss_cls is a QualityFocalLoss, in
# the decoder layers, the proposals and the denoising queries). The matcher
# keeps DINO's focal cost. Compared with focal, aLRP and RS DINO by
# tools/analysis_tools/compare_losses.py (docs/loss_comparison.md).
_base_ = './dino_focal_tiny_synthetic.py'
model = dict(
    bbox_head=dict(
        loss_cls=dict(
            _delete_=True, type='QualityFocalLoss', use_sigmoid=True,
            beta=2.0, loss_weight=1.0)))
