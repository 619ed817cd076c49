import pytest
import torch
from mmengine import Config

from alrp_mmdet.models.losses import ap_loss
from mmdet.registry import MODELS
from ..head_inputs import empty_gt, gt, image_major, metas
from .test_alrp_retina_head import STRIDES, features


def build_head(num_classes=3, **kwargs):
    cfg = dict(
        type='APLossRetinaHead', num_classes=num_classes, in_channels=1,
        feat_channels=4, stacked_convs=1,
        anchor_generator=dict(type='AnchorGenerator', octave_base_scale=4,
                              scales_per_octave=2, ratios=[0.5, 1.0, 2.0],
                              strides=STRIDES),
        bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0.] * 4,
                        target_stds=[0.1, 0.1, 0.2, 0.2]),
        loss_cls=dict(type='APLoss', use_sigmoid=True, interpolated=True),
        loss_bbox=dict(type='SmoothL1Loss', beta=1.0),
        train_cfg=Config(dict(
            assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.5,
                          neg_iou_thr=0.4, min_pos_iou=0, ignore_iof_thr=-1),
            allowed_border=-1, pos_weight=-1, debug=False)))
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


@pytest.mark.parametrize('num_classes', [3, 80])
def test_one_ranking_plus_mean_smooth_l1_of_encoded_deltas(num_classes):
    head = build_head(num_classes)
    gts = [gt(), gt(1)]
    cls_scores, bbox_preds = head(features(2))
    losses = head.loss_by_feat(cls_scores, bbox_preds, gts, metas(2))
    anchor_list, valid_flags = head.get_anchors(
        [c.shape[-2:] for c in cls_scores], metas(2), device='cpu')
    labels, weights, targets, _, _ = head.get_targets(
        anchor_list, valid_flags, gts, metas(2))
    labels = torch.cat(labels, 1).reshape(-1)
    weights = torch.cat(weights, 1).reshape(-1)
    targets = torch.cat(targets, 1).reshape(-1, 4)
    pos = torch.nonzero(labels < num_classes).squeeze(1)
    ranking_labels = torch.zeros(len(labels), num_classes, dtype=torch.long)
    ranking_labels[pos, labels[pos]] = 1
    ranking_labels[weights == 0] = -1
    expected = ap_loss(image_major(cls_scores, num_classes).reshape(-1),
                       ranking_labels.reshape(-1), interpolated=True)
    assert losses['loss_cls'].item() == pytest.approx(expected.item(),
                                                      rel=1e-6)
    diff = (image_major(bbox_preds, 4)[pos] - targets[pos]).abs()
    smooth_l1 = torch.where(diff < 1, 0.5 * diff**2, diff - 0.5)
    assert losses['loss_bbox'].item() == pytest.approx(
        smooth_l1.mean().item(), rel=1e-5)
    assert losses['grad_balance'].item() == pytest.approx(1.0, rel=1e-5)


def test_empty_gt_gives_zero_loss_that_reaches_every_parameter():
    head = build_head()
    losses = head.loss_by_feat(*head(features(2)), [empty_gt(), empty_gt()],
                               metas(2))
    assert losses['loss_cls'].item() == 0 and losses['loss_bbox'].item() == 0
    (losses['loss_cls'] + losses['loss_bbox']).backward()
    for param in head.parameters():
        assert param.grad is not None and (param.grad == 0).all()


def test_decoded_boxes_are_rejected():
    with pytest.raises(ValueError, match='reg_decoded_bbox'):
        build_head(reg_decoded_bbox=True)
