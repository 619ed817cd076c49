# Tiny DINO for the synthetic shapes (tiny_r18_fpn.py's backbone): mmdet's
# DINO (two-stage, box refinement, contrastive denoising) with 3 feature
# levels, 2 encoder and 2 decoder layers, 30 queries and 20 denoising
# queries, FFNs of 512, and DINO's focal loss, L1 and GIoU losses and
# Hungarian matcher; small enough to learn on a CPU. The width stays 256:
# mmdet's DINO decoder encodes reference points with 128 features per
# coordinate, which fixes embed_dims at 256.
_base_ = './tiny_r18_fpn.py'

model = dict(
    type='DINO',
    num_queries=30,
    with_box_refine=True,
    as_two_stage=True,
    num_feature_levels=3,
    neck=dict(
        _delete_=True,
        type='ChannelMapper',
        in_channels=[32, 64, 128],
        kernel_size=1,
        out_channels=256,
        act_cfg=None,
        norm_cfg=dict(type='GN', num_groups=32),
        num_outs=3),
    encoder=dict(
        num_layers=2,
        layer_cfg=dict(
            self_attn_cfg=dict(embed_dims=256, num_heads=8, num_levels=3,
                               dropout=0.0),
            ffn_cfg=dict(embed_dims=256, feedforward_channels=512,
                         ffn_drop=0.0))),
    decoder=dict(
        num_layers=2,
        return_intermediate=True,
        layer_cfg=dict(
            self_attn_cfg=dict(embed_dims=256, num_heads=8, dropout=0.0),
            cross_attn_cfg=dict(embed_dims=256, num_heads=8, num_levels=3,
                                dropout=0.0),
            ffn_cfg=dict(embed_dims=256, feedforward_channels=512,
                         ffn_drop=0.0)),
        post_norm_cfg=None),
    positional_encoding=dict(
        num_feats=128, normalize=True, offset=0.0, temperature=20),
    bbox_head=dict(
        type='DINOHead',
        num_classes=3,
        embed_dims=256,
        sync_cls_avg_factor=True,
        loss_cls=dict(
            type='FocalLoss',
            use_sigmoid=True,
            gamma=2.0,
            alpha=0.25,
            loss_weight=1.0),
        loss_bbox=dict(type='L1Loss', loss_weight=5.0),
        loss_iou=dict(type='GIoULoss', loss_weight=2.0)),
    dn_cfg=dict(
        label_noise_scale=0.5,
        box_noise_scale=1.0,
        group_cfg=dict(dynamic=True, num_groups=None, num_dn_queries=20)),
    train_cfg=dict(
        assigner=dict(
            type='HungarianAssigner',
            match_costs=[
                dict(type='FocalLossCost', weight=2.0),
                dict(type='BBoxL1Cost', weight=5.0, box_format='xywh'),
                dict(type='IoUCost', iou_mode='giou', weight=2.0)
            ])),
    test_cfg=dict(max_per_img=30))
