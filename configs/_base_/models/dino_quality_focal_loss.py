# Quality Focal Loss for a DINO config: put this file after a DINO config in
# _base_ and set model = {{_base_.dino_qfl}}. mmdet's DINOHead gives a
# matched query the IoU of its box as target when loss_cls is a
# QualityFocalLoss (decoder layers, two-stage proposals, denoising queries);
# the matcher keeps DINO's focal cost.
dino_qfl = dict(
    bbox_head=dict(
        loss_cls=dict(
            _delete_=True, type='QualityFocalLoss', use_sigmoid=True,
            beta=2.0, loss_weight=1.0)))
