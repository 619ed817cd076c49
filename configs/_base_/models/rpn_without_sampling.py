# The RPN train_cfg of the ranking losses (aLRP and RS papers): every anchor
# of the batch is ranked, so the sampler goes; MaxIoU 0.7 / 0.3 / 0.3 with
# low-quality matches, as mmdet's Faster R-CNN.
rpn_without_sampling = dict(
    _delete_=True,
    assigner=dict(
        type='MaxIoUAssigner',
        pos_iou_thr=0.7,
        neg_iou_thr=0.3,
        min_pos_iou=0.3,
        match_low_quality=True,
        ignore_iof_thr=-1),
    allowed_border=-1,
    pos_weight=-1,
    debug=False)
