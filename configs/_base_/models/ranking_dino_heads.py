# Ranking losses for a DINO config: put this file after a DINO config in
# _base_ and set model = {{_base_.alrp_dino}} (aLRP Loss: delta 1, SB from
# 50, E_loc from GIoU with tau 0.5; add SelfBalanceHook) or
# model = {{_base_.rs_dino}} (Rank & Sort Loss, delta 2, DINO's L1 and
# GIoU losses rescaled to the RS value), each in place of focal loss in
# every decoder layer, the two-stage proposals and the denoising queries.
# The Hungarian matcher, DINO's L1 loss and the rest of the config stay.
# RS-DINO's delta is 2, not RS's 0.5: a negative stops counting once it
# scores delta (in logits) below a positive, and the queries that lose the
# Hungarian match to an object are negatives. With 0.5 (and still with 1
# on the held-out data) they kept scores close to the matched query's, and
# the tiny RS-DINO kept those duplicates at test time
# (docs/loss_comparison.md, "RS-DINO: why it missed objects").
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)
alrp_dino = dict(
    bbox_head=dict(
        type='ALRPDINOHead',
        tau=0.5,
        loss_cls=dict(
            _delete_=True, type='ALRPLoss', use_sigmoid=True, delta=1.0,
            sb_init=50.0),
        loss_iou=dict(_delete_=True, type='GIoULoss', reduction='none')))
rs_dino = dict(
    bbox_head=dict(
        type='RankSortDINOHead',
        loss_cls=dict(_delete_=True, type='RankSortLoss', delta=2.0),
        loss_iou=dict(_delete_=True, type='GIoULoss', reduction='none')))
