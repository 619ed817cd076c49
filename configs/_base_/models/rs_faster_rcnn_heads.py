# Rank & Sort Loss for two-stage detectors (RS paper; reference 2.3-2.5,
# 3.3): the RPN ranks and sorts all anchors (loss weight 0.2), the RoI head
# all proposals plus the gt boxes of the batch with a sigmoid classifier;
# GIoU weighted by the highest class probability and balanced by value;
# delta 0.5. Put this file after a Faster R-CNN config in _base_ and set
#   model = {{_base_.rs_faster_rcnn}}
# (rs_rpn_head, rpn_without_sampling and rs_rcnn_sampler serve Cascade
# R-CNN).
_base_ = './rpn_without_sampling.py'
custom_imports = dict(imports=['alrp_mmdet'], allow_failed_imports=False)
rs_rpn_head = dict(
    type='RankSortRPNHead',
    head_weight=0.2,
    bbox_coder=dict(target_stds=[0.1, 0.1, 0.2, 0.2]),
    loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
    loss_bbox=dict(_delete_=True, type='GIoULoss', reduction='none'))
# every proposal and every gt box: an unlimited RandomSampler
rs_rcnn_sampler = dict(
    type='RandomSampler',
    num=10**10,
    pos_fraction=0.25,
    neg_pos_ub=-1,
    add_gt_as_proposals=True)
rs_faster_rcnn = dict(
    rpn_head=rs_rpn_head,
    roi_head=dict(
        bbox_head=dict(
            type='RankSortShared2FCBBoxHead',
            reg_decoded_bbox=True,
            loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
            loss_bbox=dict(_delete_=True, type='GIoULoss',
                           reduction='none'))),
    train_cfg=dict(
        rpn={{_base_.rpn_without_sampling}},
        rcnn=dict(sampler=rs_rcnn_sampler)))
