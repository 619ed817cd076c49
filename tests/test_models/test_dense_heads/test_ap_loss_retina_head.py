import pytest
import torch

from alrp_mmdet.models.losses import ap_loss
from ..head_inputs import gt, image_major, metas
from ..builders import retina
from ..builders.retina import build_ap_loss_head as build_head
from ..builders.retina import features


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


def test_decoded_boxes_are_rejected():
    with pytest.raises(ValueError, match='reg_decoded_bbox'):
        build_head(reg_decoded_bbox=True)


@pytest.mark.parametrize('loss_bbox', [
    dict(type='GIoULoss'), dict(type='DIoULoss'), dict(type='CIoULoss'),
    dict(type='IoULoss', reduction='none')
])
def test_box_overlap_losses_on_encoded_deltas_are_refused(loss_bbox):
    with pytest.raises(TypeError, match=f"{loss_bbox['type']} compares boxes "
                       'and means nothing on deltas: use SmoothL1Loss'):
        retina.build_head(
            'APLossRetinaHead', 3,
            loss_cls=dict(type='APLoss', use_sigmoid=True),
            loss_bbox=loss_bbox)
    head = retina.build_head('APLossRetinaHead', 3,
                             loss_cls=dict(type='APLoss', use_sigmoid=True),
                             loss_bbox=dict(type='L1Loss'))
    assert not head.reg_decoded_bbox
