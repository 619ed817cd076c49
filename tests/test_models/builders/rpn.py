"""The RPN head of the tests."""
from mmengine import Config

from .. import head_inputs
from ..head_inputs import gt


STRIDES = [4, 8, 16, 32, 64]


def build_head(**kwargs):
    cfg = dict(
        type='ALRPRPNHead', in_channels=1, feat_channels=4,
        anchor_generator=dict(type='AnchorGenerator', scales=[8],
                              ratios=[0.5, 1.0, 2.0], strides=STRIDES),
        bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0.] * 4,
                        target_stds=[0.1, 0.1, 0.2, 0.2]),
        loss_cls=dict(type='ALRPLoss', use_sigmoid=True),
        loss_bbox=dict(type='GIoULoss', reduction='none'),
        train_cfg=Config(dict(
            assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.7,
                          neg_iou_thr=0.3, min_pos_iou=0.3,
                          match_low_quality=True, ignore_iof_thr=-1),
            allowed_border=-1, pos_weight=-1, debug=False)))
    return head_inputs.seeded_build(cfg, **kwargs)


def features(num_imgs):
    return head_inputs.features(num_imgs, STRIDES)


def rpn_gt(shift=0.0):
    # TwoStageDetector gives the RPN every gt with label 0 (mmdet 3.x)
    return gt(label=0, shift=shift)


def losses_of(head, gts):
    return head_inputs.dense_losses(head, gts, STRIDES)
