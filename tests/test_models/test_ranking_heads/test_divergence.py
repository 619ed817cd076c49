"""The divergence checks: non-finite or exploding outputs stop training
with an error naming the head and the iteration."""
import re
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub

from alrp_mmdet.models.losses.ranking import MAX_LOGIT_OVER_DELTA
from alrp_mmdet.models.ranking_heads import (RankingBatch,
                                             TrainingDivergedError,
                                             check_divergence,
                                             rank_sort_batch_losses)
from ..builders.ranking_heads import rank_sort_atss

HEAD = SimpleNamespace(loss_cls=SimpleNamespace(delta=0.5))


@pytest.mark.parametrize('bad', [float('nan'), float('inf'), -float('inf')])
def test_one_non_finite_logit_anywhere_is_divergence(bad):
    head = rank_sort_atss()
    logits = torch.randn(50, 3)
    logits[-1, 2] = bad
    MessageHub.get_current_instance().update_info('iter', 6)
    with pytest.raises(TrainingDivergedError,
                       match='iteration 7: 1 NaN/infinite logits, largest '
                       r'finite \|logit\| [0-9.]+ '):
        rank_sort_batch_losses(head, RankingBatch(
            logits=logits, labels=torch.full((50, ), 3),
            label_weights=torch.ones(50), pos_rows=torch.zeros(0).long(),
            pos_preds=torch.zeros(0, 4), pos_targets=torch.zeros(0, 4),
            boxes_decoded=True))


def test_a_non_finite_box_prediction_of_a_positive_is_divergence():
    head = rank_sort_atss()
    boxes = torch.tensor([[10.0, 10.0, 50.0, 50.0], [0.0, 0.0, 9.0, 9.0]])
    preds = boxes.clone()
    preds[1, 2] = float('nan')
    with pytest.raises(TrainingDivergedError, match='0 NaN/infinite logits, '
                       r'.* 1 non-finite box predictions of positives'):
        rank_sort_batch_losses(head, RankingBatch(
            logits=torch.zeros(4, 3), labels=torch.tensor([0, 1, 3, 3]),
            label_weights=torch.ones(4), pos_rows=torch.tensor([0, 1]),
            pos_preds=preds, pos_targets=boxes, boxes_decoded=True))


def test_check_divergence_passes_up_to_the_cores_exact_range():
    limit = MAX_LOGIT_OVER_DELTA * 0.5
    check_divergence(HEAD, torch.tensor([[limit, -limit]]), torch.zeros(1, 4))
    expected = (f'largest finite |logit| {limit * 2:.3g} (the limit is '
                f'{limit:.3g})')
    with pytest.raises(TrainingDivergedError, match=re.escape(expected)):
        check_divergence(HEAD, torch.tensor([[limit * 2, 0.0]]),
                         torch.zeros(1, 4))
