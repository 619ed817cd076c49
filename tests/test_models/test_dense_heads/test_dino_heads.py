"""ALRPDINOHead and RankSortDINOHead: every layer's losses against the
functional losses of the batch rebuilt image by image from mmdet's
per-image targets (``_get_targets_single``, ``_get_dn_targets_single``),
no positives, bad labels, divergence and bfloat16 autocast."""
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.structures import InstanceData

from alrp_mmdet.models.losses import (alrp_loss, normalise_loc_errors,
                                      rank_sort_loss)
from alrp_mmdet.models.ranking_heads import TrainingDivergedError
from mmdet.models.losses import GIoULoss
from mmdet.structures.bbox import bbox_overlaps
from ..head_inputs import SIZE, empty_gt, gt
from ..builders.ranking_heads import DIVERGED_OUTPUTS
from ..builders.dino import (HEAD_TYPES, NUM_LAYERS, build_head, detr_metas,
                             losses_of, outputs)


def image_boxes(cxcywh):
    """Normalised (cx, cy, w, h) -> image (x1, y1, x2, y2), by hand."""
    cx, cy, w, h = cxcywh.unbind(-1)
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2],
                       -1) * SIZE


def rebuilt(head, cls_scores, bbox_preds, per_image_targets):
    """One layer's batch rebuilt image by image: logits, one-vs-all labels
    and the positives' normalised and image boxes."""
    logits, labels, preds, targets = [], [], [], []
    for img, (img_labels, _, img_targets) in enumerate(per_image_targets):
        logits.append(cls_scores[img])
        labels.append(img_labels)
        preds.append(bbox_preds[img])
        targets.append(img_targets)
    logits, labels = torch.cat(logits), torch.cat(labels)
    pos = torch.nonzero(labels < head.num_classes).squeeze(1)
    one_vs_all = torch.zeros_like(logits, dtype=torch.long)
    one_vs_all[pos, labels[pos]] = 1
    params, param_targets = torch.cat(preds)[pos], torch.cat(targets)[pos]
    return dict(logits=logits.reshape(-1), labels=one_vs_all.reshape(-1),
                params=params, param_targets=param_targets,
                boxes=image_boxes(params), gt_boxes=image_boxes(param_targets))


def reference(head_type, batch):
    """(loss_cls, loss_bbox, loss_iou) of one layer from the functional
    losses: one ranking, DINO's L1 (weight 5) over the positives."""
    num_pos = max(len(batch['params']), 1)
    l1 = 5 * (batch['params'] - batch['param_targets']).abs().sum() / num_pos
    giou = GIoULoss(reduction='none')(batch['boxes'], batch['gt_boxes'])
    if head_type == 'ALRPDINOHead':
        errors = normalise_loc_errors(giou, 2.0, 0.5)
        loss_cls, loss_loc = alrp_loss(batch['logits'], batch['labels'],
                                       errors)
        return loss_cls, l1, 50 * loss_loc
    ious = bbox_overlaps(batch['boxes'], batch['gt_boxes'],
                         is_aligned=True).clamp(0, 1).detach()
    rank, sort = rank_sort_loss(batch['logits'], batch['labels'], ious,
                                delta=0.5)
    return rank + sort, rank + sort, rank + sort


def matched_targets(head, cls_scores, bbox_preds, gts):
    return [head._get_targets_single(cls_scores[i], bbox_preds[i], gts[i],
                                     detr_metas(1)[0])[:3]
            for i in range(len(gts))]


def denoising_targets(head, gts, dn_meta):
    return [head._get_dn_targets_single(g, detr_metas(1)[0], dn_meta)[:3]
            for g in gts]


@pytest.mark.parametrize('head_type', HEAD_TYPES)
def test_every_ranking_is_one_loss_call_on_the_rebuilt_batch(head_type):
    head = build_head(head_type)
    gts = [gt(), gt(1, shift=8.0)]
    losses = losses_of(head, gts)
    outs, dn_meta = outputs(head, gts)
    num_dn = dn_meta['num_denoising_queries']
    layers = {f'd{i}.' if i < NUM_LAYERS - 1 else '': i
              for i in range(NUM_LAYERS)}
    checked = 0
    for prefix, layer in layers.items():
        cls_scores, bbox_preds = outs[0][layer], outs[1][layer]
        for key, (scores, boxes, targets) in {
                f'{prefix}loss': (
                    cls_scores[:, num_dn:], bbox_preds[:, num_dn:],
                    matched_targets(head, cls_scores[:, num_dn:],
                                    bbox_preds[:, num_dn:], gts)),
                f'{prefix}dn_loss': (
                    cls_scores[:, :num_dn], bbox_preds[:, :num_dn],
                    denoising_targets(head, gts, dn_meta))}.items():
            batch = rebuilt(head, scores, boxes, targets)
            assert len(batch['params']) > 0
            want = reference(head_type, batch)
            for name, value in zip(('cls', 'bbox', 'iou'), want):
                assert losses[f'{key}_{name}'].item() == pytest.approx(
                    value.item(), rel=1e-5), f'{key}_{name}'
            checked += 1
    enc = rebuilt(head, outs[2][0], outs[3][0],
                  matched_targets(head, outs[2][0], outs[3][0], gts))
    for name, value in zip(('cls', 'bbox', 'iou'), reference(head_type, enc)):
        assert losses[f'enc_loss_{name}'].item() == pytest.approx(
            value.item(), rel=1e-5)
    assert checked == 2 * NUM_LAYERS


@pytest.mark.parametrize('head_type', HEAD_TYPES)
def test_images_without_objects_give_zero_losses_reaching_every_parameter(
        head_type):
    # no gt: every query is a negative and there are no denoising queries
    head = build_head(head_type)
    head.train()
    losses = losses_of(head, [empty_gt(), empty_gt()])
    assert set(value.item() for value in losses.values()) == {0.0}
    sum(losses.values()).backward()
    for name, param in head.named_parameters():
        assert param.grad is not None and (param.grad == 0).all(), name


@pytest.mark.parametrize('head_type', HEAD_TYPES)
def test_one_image_without_objects_adds_only_negatives(head_type):
    head = build_head(head_type)
    alone = losses_of(head, [gt()])
    together = losses_of(head, [gt(), empty_gt()])
    assert together['loss_cls'].item() != alone['loss_cls'].item()
    assert all(torch.isfinite(value) for value in together.values())


@pytest.mark.parametrize('head_type', HEAD_TYPES)
def test_gt_label_of_num_classes_is_refused(head_type):
    head = build_head(head_type, num_classes=2)
    with pytest.raises(ValueError, match=r'label 2 is outside \[0, 2\).*'
                       r'model\.bbox_head\.num_classes'):
        losses_of(head, [gt(label=2), gt(label=1)])


@pytest.mark.parametrize('edit, what', DIVERGED_OUTPUTS)
@pytest.mark.parametrize('head_type', HEAD_TYPES)
def test_diverged_outputs_stop_training_before_the_matcher(
        head_type, edit, what):
    # scipy's Hungarian matching fails on NaN costs: the head reports first
    MessageHub.get_current_instance().update_info('iter', 41)
    with pytest.raises(TrainingDivergedError,
                       match=f'{head_type}: training diverged at iteration '
                       f'42: .*{what}.*lower learning rate'):
        losses_of(build_head(head_type), [gt(), gt(1, shift=8.0)], edit)


@pytest.mark.parametrize('head_type', HEAD_TYPES)
def test_bfloat16_autocast_keeps_losses_and_gradients(head_type):
    gts = [gt(), gt(1, shift=8.0)]
    full = losses_of(build_head(head_type), gts)
    head = build_head(head_type)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mixed = losses_of(head, gts)
    sum(mixed.values()).backward()
    for key, value in full.items():
        assert torch.isfinite(mixed[key]).all(), key
        assert mixed[key].item() == pytest.approx(value.item(), rel=0.1,
                                                  abs=1e-2), key
    for name, param in head.named_parameters():
        assert param.grad is not None and torch.isfinite(param.grad).all(), \
            name


def test_alrp_keeps_dinos_l1_loss_and_rs_rescales_it():
    gts = [gt(), gt(1, shift=8.0)]
    alrp = losses_of(build_head('ALRPDINOHead'), gts)
    rank_sort = losses_of(build_head('RankSortDINOHead'), gts)
    assert alrp['loss_bbox'].item() != alrp['loss_iou'].item()
    assert rank_sort['loss_bbox'].item() == pytest.approx(
        rank_sort['loss_cls'].item(), rel=1e-6)
    assert rank_sort['loss_iou'].item() == pytest.approx(
        rank_sort['loss_cls'].item(), rel=1e-6)


@pytest.mark.parametrize('head_type, bad, match', [
    ('ALRPDINOHead', dict(loss_cls=dict(type='FocalLoss', use_sigmoid=True)),
     'ALRPLoss'),
    ('ALRPDINOHead', dict(loss_iou=dict(type='GIoULoss', loss_weight=2.0)),
     "loss_iou=dict.type='GIoULoss'"),
    ('RankSortDINOHead', dict(loss_iou=dict(type='GIoULoss',
                                            reduction='none',
                                            loss_weight=2.0)),
     'loss_iou.loss_weight must be 1'),
])
def test_bad_config_raises(head_type, bad, match):
    with pytest.raises((TypeError, ValueError), match=match):
        build_head(head_type, **bad)


def test_an_instance_without_labels_is_refused_clearly():
    head = build_head('RankSortDINOHead')
    broken = InstanceData(bboxes=torch.tensor([[10., 10., 0., 50.]]),
                          labels=torch.tensor([0]))
    with pytest.raises(ValueError, match='inverted'):
        losses_of(head, [broken])
