"""The objectives: the loss-dict functions' checks and the helpers behind
them, against values written out here."""
import pytest
import torch

from alrp_mmdet.models.ranking_heads import (RankingBatch, alrp_batch_losses,
                                             ap_loss_batch_losses, box_weights,
                                             loc_loss_of, one_vs_all_labels,
                                             value_balance, weighted_mean)
from mmdet.registry import MODELS
from ..builders.ranking_heads import rank_sort_atss
from ..builders.retina import build_ap_loss_head


def test_an_objective_function_refuses_a_head_of_another_objective():
    head = rank_sort_atss()
    with pytest.raises(TypeError, match='RankSortATSSHead: alrp_batch_losses '
                       'needs a head declared with ALRPObjective'):
        alrp_batch_losses(head, None)


def test_an_objective_refuses_a_batch_of_the_other_box_form():
    batch = RankingBatch(
        logits=torch.zeros(2, 3), labels=torch.tensor([0, 3]),
        label_weights=torch.ones(2), pos_rows=torch.tensor([0]),
        pos_preds=torch.tensor([[0.0, 0.0, 4.0, 4.0]]),
        pos_targets=torch.tensor([[0.0, 0.0, 4.0, 4.0]]), boxes_decoded=True)
    with pytest.raises(TypeError, match='APLossRetinaHead: the batch holds '
                       'decoded boxes, but its objective regresses encoded '
                       'targets: gather it with decode_boxes=False'):
        ap_loss_batch_losses(build_ap_loss_head(), batch)


def test_one_vs_all_labels_mark_the_positive_class_and_ignored_rows():
    labels = one_vs_all_labels(torch.tensor([2, 3, 0, 3]),
                               torch.tensor([1.0, 1.0, 1.0, 0.0]),
                               torch.tensor([0, 2]), 3)
    assert labels.view(4, 3).tolist() == [[0, 0, 1], [0, 0, 0], [1, 0, 0],
                                          [-1, -1, -1]]
    with pytest.raises(ValueError, match=r'label_weights shape \(3,\) does '
                       'not match the 4 labels'):
        one_vs_all_labels(torch.zeros(4).long(), torch.ones(3),
                          torch.tensor([0]), 3)


def test_box_weights_are_the_detached_top_class_probabilities():
    logits = torch.tensor([[0.0, 2.0], [-1.0, -3.0]], requires_grad=True)
    weights = box_weights(logits)
    assert not weights.requires_grad
    assert weights.tolist() == pytest.approx(
        [1 / (1 + torch.e**-2), 1 / (1 + torch.e)])


def test_weighted_mean_and_its_zero_weight_guard():
    values = torch.tensor([1.0, 3.0])
    assert weighted_mean(values, torch.tensor([1.0, 3.0])).item() == 2.5
    assert weighted_mean(values, torch.zeros(2)).item() == 0.0


@pytest.mark.parametrize('target, loss, expected', [
    (2.0, 0.5, 4.0), (2.0, 0.0, 0.0), (0.0, 0.5, 0.0)])
def test_value_balance_matches_the_target_value_never_inf(target, loss,
                                                          expected):
    assert value_balance(torch.tensor(target), torch.tensor(loss)) == \
        expected


def test_detr_heads_name_their_giou_loss_and_dense_heads_their_box_loss():
    dino = MODELS.build(dict(type='ALRPDINOHead', num_classes=3,
                             embed_dims=8, sync_cls_avg_factor=True,
                             train_cfg=None))
    assert loc_loss_of(dino) is dino.loss_iou
    dense = rank_sort_atss()
    assert loc_loss_of(dense) is dense.loss_bbox
