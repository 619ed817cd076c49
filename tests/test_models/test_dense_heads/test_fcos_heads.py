"""ALRPFCOSHead and RankSortFCOSHead against their losses on the batch
rebuilt image by image from mmdet's per-image FCOS targets."""
import pytest
import torch

from alrp_mmdet.models.ranking_heads import (APLossObjective,
                                             ap_loss_batch_losses, fcos_batch)
from mmdet.models.dense_heads import FCOSHead
from ..head_inputs import gt, metas
from ..rebuilt_losses import (assert_alrp_of_rebuilt_batch,
                              assert_rank_sort_of_rebuilt_batch,
                              top_score_and_probability)
from ..builders.fcos import STRIDES, build_head, features

HEAD_TYPES = ['ALRPFCOSHead', 'RankSortFCOSHead']


def rebuilt_batch(head, cls_scores, bbox_preds, gts):
    """Image by image: mmdet's per-image FCOS targets and this image's rows
    of every level, with each row's point computed here; the positives'
    boxes decoded here as point -/+ distances."""
    sizes = [s.shape[-2:] for s in cls_scores]
    points = []
    for (h, w), stride in zip(sizes, STRIDES):
        ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w),
                                indexing='ij')
        points.append(torch.stack([(xs.flatten() + 0.5) * stride,
                                   (ys.flatten() + 0.5) * stride], 1))
    ranges = torch.cat([torch.tensor(r).expand(len(p), 2) for r, p in zip(
        head.regress_ranges, points)])
    strides = torch.cat([torch.full((len(p), 1), float(s))
                         for p, s in zip(points, STRIDES)])
    logits, labels, preds, targets = [], [], [], []
    for img, gt_instances in enumerate(gts):
        img_labels, img_targets = head._get_targets_single(
            gt_instances, points=torch.cat(points), regress_ranges=ranges,
            num_points_per_lvl=[len(p) for p in points])
        if head.norm_on_bbox:
            img_targets = img_targets / strides
        logits.append(torch.cat([s[img].permute(1, 2, 0).reshape(
            -1, head.num_classes) for s in cls_scores]))
        preds.append(torch.cat([p[img].permute(1, 2, 0).reshape(-1, 4)
                                for p in bbox_preds]))
        labels.append(img_labels)
        targets.append(img_targets)
    labels = torch.cat(labels)
    pos = torch.nonzero(labels < head.num_classes).squeeze(1)
    one_vs_all = torch.zeros(len(labels), head.num_classes, dtype=torch.long)
    one_vs_all[pos, labels[pos]] = 1
    row_points = torch.cat(points).repeat(len(gts), 1)[pos]

    def decode(distances):
        return torch.cat([row_points - distances[:, :2],
                          row_points + distances[:, 2:]], 1)
    return dict(logits=torch.cat(logits).reshape(-1),
                labels=one_vs_all.reshape(-1),
                pos_logits=torch.cat(logits)[pos],
                pred_boxes=decode(torch.cat(preds)[pos]),
                gt_boxes=decode(torch.cat(targets)[pos]),
                images=torch.arange(len(gts)).repeat_interleave(
                    len(labels) // len(gts))[pos])


def losses_and_batch(head_type, **settings):
    head = build_head(head_type, **settings)
    gts = [gt(), gt(1, shift=8.0)]
    cls_scores, bbox_preds = head(features(2))
    losses = head.loss_by_feat(cls_scores, bbox_preds, gts, metas(2))
    return head, losses, rebuilt_batch(head, cls_scores, bbox_preds, gts), gts


FCOS_SETTINGS = [dict(), dict(center_sampling=True, center_sample_radius=1.5,
                              norm_on_bbox=True, centerness_on_reg=True)]


@pytest.mark.parametrize('settings', FCOS_SETTINGS)
def test_alrp_fcos_is_one_ranking_of_the_rebuilt_batch(settings):
    head, losses, batch, gts = losses_and_batch('ALRPFCOSHead', **settings)
    assert losses['num_pos'].item() == len(batch['gt_boxes']) > 0
    if not head.norm_on_bbox:  # (else the boxes are in stride units)
        for image, box in zip(batch['images'], batch['gt_boxes']):
            assert torch.isclose(gts[image].bboxes, box,
                                 atol=1e-3).all(1).any()
    assert_alrp_of_rebuilt_batch(losses, head, batch)


@pytest.mark.parametrize('settings', FCOS_SETTINGS)
def test_rank_sort_fcos_sorts_by_the_iou_of_the_decoded_boxes(settings):
    head, losses, batch, _ = losses_and_batch('RankSortFCOSHead', **settings)
    loss_rank, loss_sort, _ = assert_rank_sort_of_rebuilt_batch(losses,
                                                                batch)
    weights = batch['pos_logits'].sigmoid().max(1).values
    giou_loss = (weights * head.loss_bbox(
        batch['pred_boxes'], batch['gt_boxes'])).sum() / weights.sum()
    assert losses['bbox_weight'].item() == pytest.approx(
        (loss_rank + loss_sort).item() / giou_loss.item(), rel=1e-5)


@pytest.mark.parametrize('head_type', HEAD_TYPES)
def test_no_centerness_and_scores_are_the_class_probabilities(head_type):
    head = build_head(head_type)
    assert not any('centerness' in name for name, _ in
                   head.named_parameters())
    top, best, num_outputs = top_score_and_probability(head, features(1),
                                                       0.5)
    assert num_outputs == 2
    assert top == pytest.approx(best, rel=1e-6)


@pytest.mark.parametrize('head_type, bad, match', [
    ('ALRPFCOSHead', dict(loss_cls=dict(type='FocalLoss', use_sigmoid=True)),
     'ALRPLoss'),
    ('ALRPFCOSHead', dict(loss_bbox=dict(type='IoULoss')), 'GIoULoss'),
    ('RankSortFCOSHead', dict(loss_cls=dict(type='ALRPLoss',
                                            use_sigmoid=True)),
     'RankSortLoss'),
    ('RankSortFCOSHead', dict(loss_bbox=dict(type='GIoULoss',
                                             loss_weight=2.0,
                                             reduction='none')),
     'loss_weight must be 1'),
])
def test_bad_config_raises(head_type, bad, match):
    with pytest.raises((TypeError, ValueError), match=match):
        build_head(head_type, **bad)


def test_fcos_gatherer_refuses_an_objective_on_encoded_targets():
    # AP Loss's box loss compares encoded targets; fcos_batch decodes boxes
    class APLossFCOSHead(APLossObjective, FCOSHead):
        def loss_by_feat(self, cls_scores, bbox_preds, centernesses,
                         batch_gt_instances, batch_img_metas,
                         batch_gt_instances_ignore=None):
            return ap_loss_batch_losses(self, fcos_batch(
                self, cls_scores, bbox_preds, batch_gt_instances,
                batch_img_metas))

    head = APLossFCOSHead(num_classes=3, in_channels=1, feat_channels=4,
                          stacked_convs=1, strides=STRIDES, norm_cfg=None,
                          loss_cls=dict(type='APLoss'))
    with pytest.raises(TypeError, match='APLossFCOSHead: the batch holds '
                       'decoded boxes, but its objective regresses encoded '
                       'targets: gather it with decode_boxes=False'):
        head.loss_by_feat(*head(features(2)), [gt(), gt(1)], metas(2))
