# RS paper README "RS-Cascade R-CNN R-50" (minival 41.3 box AP, 66.6 oLRP):
# Cascade R-CNN R-50 FPN with Rank & Sort Loss in the RPN (all anchors
# inside the image, allowed_border 0, weight 0.2) and in three
# class-agnostic RoI stages (IoU 0.5 / 0.6 / 0.7, stage weights 1 / 1 / 1,
# coder stds 0.1/0.1/0.2/0.2 at every stage, all proposals plus gts), test
# score_thr 0.40, 1x, lr 0.012 for 4 GPUs x 4 images. With a sigmoid
# classifier the refinement's argmax runs over every real class: the RS
# heads' activation appends the background column mmdet strips.
# RankingCascadeRoIHead checks every gt box before assignment.
_base_ = [
    'mmdet::cascade_rcnn/cascade-rcnn_r50_fpn_1x_coco.py',
    '../_base_/models/rs_faster_rcnn_heads.py'
]

model = dict(
    rpn_head=_base_.rs_rpn_head,
    roi_head=dict(
        type='RankingCascadeRoIHead',
        stage_loss_weights=[1, 1, 1],
        bbox_head=[
            dict(
                type='RankSortShared2FCBBoxHead',
                in_channels=256,
                fc_out_channels=1024,
                roi_feat_size=7,
                num_classes=80,
                bbox_coder=dict(
                    type='DeltaXYWHBBoxCoder',
                    target_means=[0., 0., 0., 0.],
                    target_stds=[0.1, 0.1, 0.2, 0.2]),
                reg_class_agnostic=True,
                reg_decoded_bbox=True,
                loss_cls=dict(type='RankSortLoss', delta=0.5),
                loss_bbox=dict(type='GIoULoss', reduction='none'))
            for _ in range(3)
        ]),
    train_cfg=dict(
        rpn=dict(_base_.rpn_without_sampling, allowed_border=0),
        rcnn=[
            dict(
                assigner=dict(
                    type='MaxIoUAssigner',
                    pos_iou_thr=iou,
                    neg_iou_thr=iou,
                    min_pos_iou=iou,
                    match_low_quality=False,
                    ignore_iof_thr=-1),
                sampler=_base_.rs_rcnn_sampler,
                pos_weight=-1,
                debug=False) for iou in (0.5, 0.6, 0.7)
        ]),
    test_cfg=dict(rcnn=dict(score_thr=0.40)))
optim_wrapper = dict(optimizer=dict(lr=0.012))
train_dataloader = dict(batch_size=4, num_workers=4)
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
