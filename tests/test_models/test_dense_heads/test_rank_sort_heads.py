"""RS-ATSS, RS-PAA and RS-RPN (and the RS objective's guards)."""
import pytest
import torch
from mmengine import Config

from mmdet.models.dense_heads import ATSSHead

from alrp_mmdet.models.dense_heads import RankSortATSSHead
from alrp_mmdet.models.losses import rank_sort_loss
from alrp_mmdet.models.ranking_heads import (RankingBatch, paa_batch,
                                             rank_sort_batch_losses)
from ..head_inputs import gt, image_major, metas
from ..builders import retina, rpn
from ..builders.rank_sort import build_atss, build_paa, iou


def test_rs_atss_is_one_ranking_with_iou_targets_and_balanced_boxes():
    head = build_atss()
    gts = [gt(), gt(1)]
    cls_scores, bbox_preds = head(retina.features(2))
    losses = head.loss_by_feat(cls_scores, bbox_preds, gts, metas(2))
    logits, labels, pred_boxes, gt_boxes, _ = retina.rebuild_batch(
        head, cls_scores, bbox_preds, gts)
    ious = iou(pred_boxes.detach(), gt_boxes)
    loss_rank, loss_sort = rank_sort_loss(logits, labels, ious)
    assert losses['loss_rank'].item() == pytest.approx(loss_rank.item(),
                                                       rel=1e-5)
    assert losses['loss_sort'].item() == pytest.approx(loss_sort.item(),
                                                       rel=1e-5)
    rows = labels.view(-1, 3).eq(1).any(1)
    weights = logits.view(-1, 3)[rows].sigmoid().max(1).values
    box_loss = (weights * head.loss_bbox(pred_boxes, gt_boxes)).sum() / \
        weights.sum()
    rs_value = (loss_rank + loss_sort).item()
    # value balancing: the box loss's value is the RS value
    assert losses['loss_bbox'].item() == pytest.approx(rs_value, rel=1e-5)
    assert losses['bbox_weight'].item() == pytest.approx(
        rs_value / box_loss.item(), rel=1e-5)
    assert losses['num_pos'].item() == int(rows.sum())
    assert not any('loss' in k for k in losses if not k.startswith('loss_'))


def test_rs_atss_has_no_centerness_and_predicts():
    head = build_atss()
    assert not [name for name, _ in head.named_parameters()
                if 'centerness' in name]
    outs = head(retina.features(1))
    assert len(outs) == 2
    head.eval()
    with torch.no_grad():
        results = head.predict_by_feat(
            *outs, batch_img_metas=metas(1), rescale=False,
            cfg=Config(dict(nms_pre=100, score_thr=0.0, min_bbox_size=0,
                            nms=dict(type='nms', iou_threshold=0.6),
                            max_per_img=10)))
    assert results[0].bboxes.shape == (10, 4)


def test_rs_rpn_keys_and_head_weight():
    values = []
    for weight in (1.0, 0.2):
        head = rpn.build_head(type='RankSortRPNHead', head_weight=weight,
                              loss_cls=dict(type='RankSortLoss'))
        losses = rpn.losses_of(head, [rpn.rpn_gt(), rpn.rpn_gt(8.0)])
        values.append(losses)
    assert set(values[1]) == {
        'loss_rpn_rank', 'loss_rpn_sort', 'loss_rpn_bbox', 'rpn_bbox_weight',
        'rpn_grad_balance', 'rpn_num_pos'
    }
    for key in ('loss_rpn_rank', 'loss_rpn_sort', 'loss_rpn_bbox'):
        assert values[1][key].item() == pytest.approx(
            0.2 * values[0][key].item(), rel=1e-6)
    assert values[1]['loss_rpn_bbox'].item() == pytest.approx(
        (values[1]['loss_rpn_rank'] + values[1]['loss_rpn_sort']).item(),
        rel=1e-5)


def test_perfect_boxes_get_weight_zero_not_inf():
    head = build_atss()
    boxes = torch.tensor([[10., 10., 50., 50.], [5., 5., 20., 30.]])
    logits = torch.randn(6, 3)
    batch = RankingBatch(logits=logits,
                         labels=torch.tensor([0, 2, 3, 3, 3, 3]),
                         label_weights=torch.ones(6),
                         pos_rows=torch.tensor([0, 1]),
                         pos_preds=boxes.clone().requires_grad_(),
                         pos_targets=boxes, boxes_decoded=True)
    losses = rank_sort_batch_losses(head, batch)
    assert losses['loss_bbox'].item() == 0
    assert losses['bbox_weight'].item() == 0
    assert torch.isfinite(losses['loss_bbox'])


def test_rs_paa_reassigns_then_ranks_the_whole_batch_once():
    head = build_paa()
    gts = [gt(), gt(1)]
    cls_scores, bbox_preds = head(retina.features(2))
    assert not [name for name, _ in head.named_parameters()
                if 'centerness' in name]
    assert len(cls_scores) == 5
    losses = head.loss_by_feat(cls_scores, bbox_preds, gts, metas(2))
    # PAA's labels, then the batch flattened image by image independently
    batch = paa_batch(head, cls_scores, bbox_preds, gts, metas(2), None,
                      decode_boxes=True)
    anchors = torch.cat([
        torch.cat(head.prior_generator.grid_priors(
            [c.shape[-2:] for c in cls_scores], device='cpu'))
        for _ in range(2)
    ])
    logits = image_major(cls_scores, 3)
    deltas = image_major(bbox_preds, 4)
    pos = torch.nonzero(batch.labels < 3).squeeze(1)
    initial = head.get_targets(*head.get_anchors(
        [c.shape[-2:] for c in cls_scores], metas(2), device='cpu'), gts,
        metas(2))[0]
    assert torch.isin(pos, torch.nonzero(torch.cat(initial) < 3)).all()
    labels = torch.zeros_like(logits, dtype=torch.long)
    labels[pos, batch.labels[pos]] = 1
    boxes = head.bbox_coder.decode(anchors[pos], deltas[pos]).detach()
    loss_rank, loss_sort = rank_sort_loss(logits.reshape(-1),
                                          labels.reshape(-1),
                                          iou(boxes, batch.pos_targets))
    assert losses['num_pos'].item() == len(pos) > 0
    assert losses['loss_rank'].item() == pytest.approx(loss_rank.item(),
                                                       rel=1e-5)
    assert losses['loss_sort'].item() == pytest.approx(loss_sort.item(),
                                                       rel=1e-5)


def test_rs_paa_predicts_with_score_voting_and_no_iou_factor():
    head = build_paa()
    head.eval()
    with torch.no_grad():
        outs = head(retina.features(1))
        voted = head.predict_by_feat(*outs, batch_img_metas=metas(1))[0]
        head.with_score_voting = False
        plain = head.predict_by_feat(*outs, batch_img_metas=metas(1))[0]
    assert len(voted) == len(plain) == 10
    # the scores are the sigmoid scores (no IoU factor), kept by voting
    assert plain.scores.max().item() == pytest.approx(
        max(c.sigmoid().max().item() for c in outs[0]), rel=1e-6)
    torch.testing.assert_close(voted.scores, plain.scores)
    assert not torch.equal(voted.bboxes, plain.bboxes)


def test_rs_paa_scores_candidates_in_float64_for_the_gmm():
    # float32 losses near 12 made sklearn's GMM fail with "ill-defined
    # empirical covariance" (seen on an R-50 at initialisation)
    head = build_paa()
    cls_scores, bbox_preds = head(retina.features(1))
    anchors, _ = head.get_anchors([c.shape[-2:] for c in cls_scores],
                                  metas(1), device='cpu')
    logits = image_major(cls_scores, 3)
    deltas = image_major(bbox_preds, 4)
    boxes = torch.tensor([[20., 20., 120., 120.], [50., 40., 90., 100.]])
    pos = torch.tensor([3, 40])
    losses, = head.get_pos_loss(
        anchors[0], logits, deltas, torch.tensor([1] * len(logits)),
        torch.ones(len(logits)), boxes.new_zeros(len(logits), 4).index_put(
            (pos, ), boxes), torch.ones(len(logits), 4), pos)
    assert losses.dtype == torch.float64 and losses.shape == (2, )


def test_rs_atss_keeps_atss_heads_target_contract():
    # mmdet code that calls get_targets on an ATSSHead expects its six
    # outputs (the anchors first); the head inherits the method unchanged
    assert RankSortATSSHead.get_targets is ATSSHead.get_targets
    assert RankSortATSSHead._get_targets_single is \
        ATSSHead._get_targets_single
