import pytest
import torch
from mmengine import Config

from mmengine.structures import InstanceData

from alrp_mmdet.models.losses import alrp_loss, normalise_loc_errors
from ..head_inputs import metas
from ..builders.rpn import build_head, features, rpn_gt, losses_of


def test_foreground_label_zero_gives_weighted_rpn_losses():
    head = build_head()
    assert head.cls_out_channels == 1 and head.tau == 0.7
    losses = losses_of(head, [rpn_gt(), rpn_gt(8.0)])
    assert set(losses) == {
        'loss_rpn_cls', 'loss_rpn_bbox', 'rpn_sb_weight', 'rpn_grad_balance',
        'rpn_num_pos', 'rpn_empty_batches'
    }
    assert 0 < losses['loss_rpn_cls'].item() <= 0.2  # 0.2 x L_cls in [0, 1]
    assert losses['loss_rpn_bbox'].item() > 0
    assert losses['rpn_num_pos'].item() >= 4  # each gt has a best anchor
    assert losses['rpn_grad_balance'].item() == pytest.approx(1.0, rel=1e-5)
    (losses['loss_rpn_cls'] + losses['loss_rpn_bbox']).backward()
    for name, param in head.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), \
            name


def test_head_weight_scales_losses_and_score_gradients():
    grads, values = [], []
    for weight in (1.0, 0.2):
        head = build_head(head_weight=weight)
        losses = losses_of(head, [rpn_gt(), rpn_gt(8.0)])
        (losses['loss_rpn_cls'] + losses['loss_rpn_bbox']).backward()
        values.append(torch.stack([losses['loss_rpn_cls'],
                                   losses['loss_rpn_bbox']]))
        grads.append(head.rpn_cls.bias.grad.clone())
    assert torch.allclose(values[1], 0.2 * values[0], rtol=1e-6)
    assert torch.allclose(grads[1], 0.2 * grads[0], rtol=1e-5, atol=1e-9)


def test_rpn_is_one_ranking_of_all_anchors_with_tau_07():
    head = build_head(head_weight=1.0)
    gts = [rpn_gt(), rpn_gt(8.0)]
    cls_scores, bbox_preds = head(features(2))
    losses = head.loss_by_feat(cls_scores, bbox_preds, gts, metas(2))
    # rebuild image by image from mmdet's prior generator, assigner, coder
    anchors = torch.cat(head.prior_generator.grid_priors(
        [c.shape[-2:] for c in cls_scores], device='cpu'))
    logits, labels, pred_boxes, gt_boxes = [], [], [], []
    for img, gt_instances in enumerate(gts):
        result = head.assigner.assign(InstanceData(priors=anchors),
                                      gt_instances)
        pos = torch.nonzero(result.gt_inds > 0).squeeze(1)
        img_labels = (result.gt_inds > 0).long()
        img_labels[result.gt_inds == -1] = -1
        deltas = torch.cat([p[img].permute(1, 2, 0).reshape(-1, 4)
                            for p in bbox_preds])
        logits.append(torch.cat([c[img].permute(1, 2, 0).reshape(-1)
                                 for c in cls_scores]))
        labels.append(img_labels)
        pred_boxes.append(head.bbox_coder.decode(anchors[pos], deltas[pos]))
        gt_boxes.append(gt_instances.bboxes[result.gt_inds[pos] - 1])
    labels = torch.cat(labels)
    assert (labels == -1).any()  # anchors between 0.3 and 0.7 are ignored
    errors = normalise_loc_errors(
        head.loss_bbox(torch.cat(pred_boxes), torch.cat(gt_boxes)), 2.0, 0.7)
    loss_cls, loss_loc = alrp_loss(torch.cat(logits), labels, errors)
    assert losses['rpn_num_pos'].item() == int((labels == 1).sum())
    assert losses['loss_rpn_cls'].item() == pytest.approx(loss_cls.item(),
                                                          rel=1e-6)
    assert losses['loss_rpn_bbox'].item() == pytest.approx(
        50 * loss_loc.item(), rel=1e-6)


def test_classifier_bias_starts_at_prior_001():
    head = build_head()
    head.init_weights()
    assert head.rpn_cls.bias.detach() == pytest.approx(-4.59512, abs=1e-4)


@pytest.mark.parametrize('bad, match', [
    (dict(num_classes=3), 'num_classes'),
    (dict(head_weight=0.0), 'head_weight'),
    (dict(tau=1.0), 'tau'),
    (dict(loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=True)),
     'ALRPLoss'),
])
def test_bad_config_raises(bad, match):
    with pytest.raises((AssertionError, TypeError, ValueError)) as error:
        build_head(**bad)
    if match != 'num_classes':  # mmdet's RPNHead asserts without a message
        assert match in str(error.value)


@pytest.mark.parametrize('head_type, loss_cls', [
    ('ALRPRPNHead', dict(type='ALRPLoss', use_sigmoid=True)),
    ('RankSortRPNHead', dict(type='RankSortLoss', delta=0.5)),
])
def test_an_rpn_sampler_is_refused_naming_the_key(head_type, loss_cls):
    # mmdet's Faster R-CNN samples 256 anchors per image for its RPN
    rpn = dict(assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.7,
                             neg_iou_thr=0.3, min_pos_iou=0.3,
                             match_low_quality=True, ignore_iof_thr=-1),
               sampler=dict(type='RandomSampler', num=256, pos_fraction=0.5,
                            neg_pos_ub=-1, add_gt_as_proposals=False),
               allowed_border=-1, pos_weight=-1, debug=False)
    with pytest.raises(ValueError, match=r'model\.train_cfg\.rpn\.sampler '
                       r'is RandomSampler.*rpn_without_sampling'):
        build_head(type=head_type, loss_cls=loss_cls,
                   train_cfg=Config(rpn))
    rpn['sampler'] = dict(type='PseudoSampler')
    assert build_head(type=head_type, loss_cls=loss_cls,
                      train_cfg=Config(rpn)).head_weight == 0.2


def test_proposals_are_mmdets():
    head = build_head()
    head.eval()
    with torch.no_grad():
        results = head.predict_by_feat(
            *head(features(1)), batch_img_metas=metas(1), rescale=False,
            cfg=Config(dict(nms_pre=200, max_per_img=50, min_bbox_size=0,
                            nms=dict(type='nms', iou_threshold=0.7))))
    assert results[0].bboxes.shape == (50, 4)
    assert (results[0].labels == 0).all()
