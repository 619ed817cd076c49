"""RankSortRoIHead (RS-Mask R-CNN): the Dice mask loss of the reference,
weighted by the box head's probabilities of the same RoIs and balanced by
value to the RS value, the 200-RoI cap without mis-paired weights."""
import pytest
import torch
from mmengine import Config

from alrp_mmdet.models.roi_heads import rank_sort_roi_head
from alrp_mmdet.models.roi_heads.rank_sort_roi_head import rank_sort_mask_loss
from mmdet.registry import MODELS
from mmdet.testing import demo_mm_inputs
from mmdet.utils import register_all_modules
from ...conftest import REPO

CONFIG = f'{REPO}/configs/demo/rs_mask_rcnn_tiny_synthetic.py'
register_all_modules()


def build_model(**roi_head):
    cfg = Config.fromfile(CONFIG).model
    cfg.roi_head.update(roi_head)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def batch(model, num_items=(3, 2), seed=0):
    torch.manual_seed(seed)
    packed = demo_mm_inputs(len(num_items), [[3, 96, 96]] * len(num_items),
                            num_items=list(num_items), num_classes=3,
                            with_mask=True)
    return model.data_preprocessor(packed, True)


def losses_of(model, data):
    return model.loss(data['inputs'], data['data_samples'])


def test_the_mask_loss_has_the_value_of_the_rs_loss():
    model = build_model()
    losses = losses_of(model, batch(model))
    assert losses['loss_mask'].item() == pytest.approx(
        (losses['loss_rank'] + losses['loss_sort']).item(), rel=1e-6)
    assert losses['loss_mask'].item() > 0


def test_the_configured_dice_is_the_reference_formula():
    # 1 - 2 sum(p t) / (sum p^2 + sum t^2 + 1e-5), p = sigmoid (ref. 2.6)
    model = build_model()
    logits = torch.randn(4, 28, 28)
    targets = (torch.rand(4, 28, 28) > 0.5).float()
    p = logits.sigmoid().flatten(1)
    t = targets.flatten(1)
    want = 1 - 2 * (p * t).sum(1) / ((p * p).sum(1) + (t * t).sum(1) + 1e-5)
    got = model.roi_head.mask_head.loss_mask(logits, targets)
    assert torch.allclose(got, want, rtol=1e-6, atol=1e-7)


def test_capped_rois_keep_their_own_weights(monkeypatch):
    # the RS code drew 200 RoIs at random and paired the weights in draw
    # order with RoIs regrouped by image; here each keeps its own
    model = build_model(max_mask_rois=10)
    seen = {}
    bbox_forward = model.roi_head._bbox_forward
    mask_forward = model.roi_head._mask_forward

    def record_scores(x, rois):
        results = bbox_forward(x, rois)
        seen['rois'], seen['cls_score'] = rois, results['cls_score']
        return results

    def record_mask_rois(x, rois=None, **kwargs):
        seen['mask_rois'] = rois
        return mask_forward(x, rois, **kwargs)

    def record_weights(mask_losses, weights, rs_value):
        seen['weights'] = weights
        return rank_sort_mask_loss(mask_losses, weights, rs_value)

    monkeypatch.setattr(model.roi_head, '_bbox_forward', record_scores)
    monkeypatch.setattr(model.roi_head, '_mask_forward', record_mask_rois)
    monkeypatch.setattr(rank_sort_roi_head, 'rank_sort_mask_loss',
                        record_weights)
    losses_of(model, batch(model, num_items=(4, 4), seed=3))
    mask_rois = seen['mask_rois']
    assert len(mask_rois) == 10 and len(set(mask_rois[:, 0].tolist())) == 2
    # each mask RoI's weight is its own row's highest class probability
    for roi, weight in zip(mask_rois, seen['weights']):
        row = torch.nonzero((seen['rois'] == roi).all(1)).flatten()[0]
        assert weight.item() == pytest.approx(
            seen['cls_score'][row].sigmoid().max().item(), rel=1e-6)


def test_rank_sort_mask_loss_value_and_gradient():
    losses = torch.tensor([0.2, 0.6, 0.4], requires_grad=True)
    weights = torch.tensor([0.5, 0.25, 0.25])
    rs_value = torch.tensor(1.5)
    loss = rank_sort_mask_loss(losses, weights, rs_value)
    mean = (0.5 * 0.2 + 0.25 * 0.6 + 0.25 * 0.4) / 1.0
    assert loss.item() == pytest.approx(1.5)
    loss.backward()
    assert torch.allclose(losses.grad, weights * 1.5 / mean)
    assert rank_sort_mask_loss(losses[:0], weights[:0], rs_value).item() == 0
    with pytest.raises(ValueError, match='2 box weights for 3 mask RoIs'):
        rank_sort_mask_loss(losses, weights[:2], rs_value)


def test_images_without_objects_give_a_zero_mask_loss_reaching_the_head():
    model = build_model()
    losses = losses_of(model, batch(model, num_items=(0, 0)))
    assert losses['loss_mask'].item() == 0
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    grads = [p.grad for p in model.roi_head.mask_head.parameters()]
    assert all(g is not None and (g == 0).all() for g in grads)


@pytest.mark.parametrize('edit, match', [
    (dict(max_mask_rois=0), 'max_mask_rois must be a positive integer'),
    (dict(mask_head=dict(loss_mask=dict(
        _delete_=True, type='CrossEntropyLoss', use_mask=True))),
     "mask_head.loss_mask=dict.type='DiceLoss'"),
    (dict(bbox_head=dict(type='Shared2FCBBoxHead', loss_cls=dict(
        _delete_=True, type='CrossEntropyLoss'), loss_bbox=dict(
            _delete_=True, type='L1Loss'), reg_decoded_bbox=False)),
     'use RankSortShared2FCBBoxHead'),
    # used to fail in the loss with an IndexError
    (dict(mask_head=dict(num_classes=5)),
     'model.roi_head.mask_head.num_classes is 5, model.roi_head.bbox_head.'
     'num_classes is 3'),
])
def test_bad_config_raises(edit, match):
    cfg = Config.fromfile(CONFIG)
    cfg.merge_from_dict(dict(model=dict(roi_head=edit)))
    with pytest.raises((TypeError, ValueError), match=match):
        MODELS.build(cfg.model)
