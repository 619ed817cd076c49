"""A ranking loss in one of mmdet's own heads fails with advice, not with
``unexpected keyword argument 'avg_factor'``."""
import pytest
import torch
from mmengine import Config

from alrp_mmdet.models.losses import ALRPLoss
from alrp_mmdet.models.losses.head_calls import ranking_heads_of
from mmdet.registry import MODELS
from ..head_inputs import features, gt, metas

STRIDES = [8, 16, 32, 64, 128]
ASSIGNERS = dict(
    RetinaHead=dict(type='MaxIoUAssigner', pos_iou_thr=0.5, neg_iou_thr=0.4,
                    min_pos_iou=0, ignore_iof_thr=-1),
    ATSSHead=dict(type='ATSSAssigner', topk=9))


def mmdet_head(head_type, loss_cls):
    torch.manual_seed(0)
    extra = dict(norm_cfg=None) if head_type == 'ATSSHead' else {}
    return MODELS.build(dict(
        **extra, type=head_type, num_classes=3, in_channels=1, feat_channels=4,
        stacked_convs=1,
        anchor_generator=dict(type='AnchorGenerator', octave_base_scale=4,
                              scales_per_octave=2, ratios=[0.5, 1.0, 2.0],
                              strides=STRIDES),
        bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0.] * 4,
                        target_stds=[0.1, 0.1, 0.2, 0.2]),
        loss_cls=loss_cls, loss_bbox=dict(type='L1Loss'),
        train_cfg=Config(dict(assigner=ASSIGNERS[head_type],
                              allowed_border=-1, pos_weight=-1,
                              debug=False))))


@pytest.mark.parametrize('head_type, loss_cls, advice', [
    ('RetinaHead', dict(type='ALRPLoss', use_sigmoid=True),
     "use type='ALRPRetinaHead' in place of type='RetinaHead'"),
    ('RetinaHead', dict(type='APLoss', use_sigmoid=True),
     "use type='APLossRetinaHead' in place of type='RetinaHead'"),
    ('ATSSHead', dict(type='RankSortLoss', use_sigmoid=True),
     "use type='RankSortATSSHead' in place of type='ATSSHead'"),
    ('ATSSHead', dict(type='ALRPLoss', use_sigmoid=True),
     "use type='ALRPATSSHead' in place of type='ATSSHead'"),
])
def test_an_mmdet_head_calling_a_ranking_loss_is_told_which_head_to_use(
        head_type, loss_cls, advice):
    head = mmdet_head(head_type, loss_cls)
    outputs = head(features(2, STRIDES))
    with pytest.raises(TypeError, match=f'{loss_cls["type"]} ranks the '
                       f'logits of the whole batch .* {head_type} called it '
                       f'as an element-wise mmdet loss .*: {advice}'):
        head.loss_by_feat(*outputs, [gt(), gt(1)], metas(2))


def test_a_direct_element_wise_call_lists_the_ranking_heads():
    loss = ALRPLoss()
    with pytest.raises(TypeError, match='use one of: ALRPATSSHead, '
                       'ALRPDINOHead, ALRPFCOSHead, ALRPFoveaHead, '
                       'ALRPRPNHead, '
                       'ALRPRTMDetSepBNHead, ALRPRetinaHead, '
                       'ALRPShared2FCBBoxHead'):
        loss(torch.randn(10, 3), torch.zeros(10).long(), torch.ones(10),
             avg_factor=1.0)
    assert ranking_heads_of(ALRPLoss) == [
        'ALRPATSSHead', 'ALRPDINOHead', 'ALRPFCOSHead', 'ALRPFoveaHead',
        'ALRPRPNHead', 'ALRPRTMDetSepBNHead', 'ALRPRetinaHead',
        'ALRPShared2FCBBoxHead'
    ]
