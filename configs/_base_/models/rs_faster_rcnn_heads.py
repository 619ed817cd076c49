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
        type='RankingRoIHead',
        bbox_head=dict(
            type='RankSortShared2FCBBoxHead',
            reg_decoded_bbox=True,
            loss_cls=dict(_delete_=True, type='RankSortLoss', delta=0.5),
            loss_bbox=dict(_delete_=True, type='GIoULoss',
                           reduction='none'))),
    train_cfg=dict(
        rpn={{_base_.rpn_without_sampling}},
        rcnn=dict(sampler=rs_rcnn_sampler)))
# RS-Mask R-CNN (reference 2.5-2.6): the same RPN, box head and sampling
# with RankSortRoIHead, whose mask branch takes the Dice loss of at most
# 200 positive RoIs, weighted by the box head's class probabilities and
# balanced by value to the RoI head's RS value. Put this file after a Mask
# R-CNN config in _base_ and set model = {{_base_.rs_mask_rcnn}}.
rs_mask_rcnn = dict(
    rpn_head=rs_rpn_head,
    roi_head=dict(
        type='RankSortRoIHead',
        max_mask_rois=200,
        bbox_head=rs_faster_rcnn['roi_head']['bbox_head'],
        mask_head=dict(
            loss_mask=dict(
                _delete_=True,
                type='DiceLoss',
                use_sigmoid=True,
                activate=True,
                naive_dice=False,
                eps=5e-6,
                reduction='none'))),
    train_cfg=rs_faster_rcnn['train_cfg'])
