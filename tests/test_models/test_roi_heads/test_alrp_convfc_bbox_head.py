import pytest
import torch
from mmengine import Config

from alrp_mmdet.models.losses import alrp_loss, normalise_loc_errors
from ..head_inputs import gt
from ..builders.roi import (META, RCNN_TRAIN_CFG, batch_of, build_head,
                            losses_of)


@pytest.mark.parametrize('num_classes', [3, 80])
def test_sigmoid_classifier_and_non_empty_gt_losses(num_classes):
    head = build_head(num_classes)
    assert head.fc_cls.out_features == num_classes  # no background logit
    losses = losses_of(head, [gt(), gt(1, shift=8.0)])
    assert losses['loss_cls'].item() > 0 and losses['loss_bbox'].item() > 0
    assert losses['num_pos'].item() > 0
    assert losses['grad_balance'].item() == pytest.approx(1.0, rel=1e-5)
    (losses['loss_cls'] + losses['loss_bbox']).backward()
    for name, param in head.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), \
            name


def test_all_rois_of_the_batch_form_one_ranking():
    head = build_head()
    gts = [gt(), gt(1, shift=8.0)]
    cls_score, bbox_pred, rois, results = batch_of(head, gts)
    losses = head.loss_and_target(cls_score, bbox_pred, rois, results,
                                  RCNN_TRAIN_CFG)['loss_bbox']
    labels = torch.cat([
        torch.cat([res.pos_gt_labels,
                   res.pos_gt_labels.new_full((len(res.neg_inds), ), 3)])
        for res in results
    ])
    gt_boxes = torch.cat([res.pos_gt_bboxes for res in results])
    pos = torch.nonzero(labels < 3).squeeze(1)
    assert len(pos) == len(gt_boxes) > 0 and len(labels) == len(rois)
    ranking_labels = torch.zeros_like(cls_score, dtype=torch.long)
    ranking_labels[pos, labels[pos]] = 1
    deltas = bbox_pred.view(len(rois), 3, 4)[pos, labels[pos]]
    boxes = head.bbox_coder.decode(rois[pos, 1:], deltas)
    errors = normalise_loc_errors(head.loss_bbox(boxes, gt_boxes), 2.0, 0.5)
    loss_cls, loss_loc = alrp_loss(cls_score.reshape(-1),
                                   ranking_labels.reshape(-1), errors)
    assert losses['loss_cls'].item() == pytest.approx(loss_cls.item(),
                                                      rel=1e-6)
    assert losses['loss_bbox'].item() == pytest.approx(
        50 * loss_loc.item(), rel=1e-6)


def test_inference_uses_sigmoid_scores_without_background():
    head = build_head()
    head.eval()
    cls_score, bbox_pred, rois, _ = batch_of(head, [gt()])
    with torch.no_grad():
        results = head.predict_by_feat(
            rois=(rois, ), cls_scores=(cls_score, ), bbox_preds=(bbox_pred, ),
            batch_img_metas=[META],
            rcnn_test_cfg=Config(dict(score_thr=0.0, max_per_img=10,
                                      nms=dict(type='nms',
                                               iou_threshold=0.5))))[0]
    assert results.bboxes.shape == (10, 4)
    assert results.labels.max() < 3
    # the best detection is the best sigmoid score of any RoI and class
    assert results.scores.max().item() == pytest.approx(
        cls_score.sigmoid().max().item(), rel=1e-6)
    assert head.loss_cls.get_activation(cls_score)[:, -1].eq(0).all()


@pytest.mark.parametrize('bad, match', [
    (dict(loss_cls=dict(type='CrossEntropyLoss')), 'ALRPLoss'),
    (dict(loss_bbox=dict(type='L1Loss')), 'GIoULoss'),
    (dict(reg_decoded_bbox=False), 'reg_decoded_bbox'),
])
def test_bad_config_raises(bad, match):
    with pytest.raises((AttributeError, TypeError, ValueError),
                       match=match):
        build_head(**bad)
