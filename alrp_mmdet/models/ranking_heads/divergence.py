"""Divergence of a ranking head's training: NaN, infinite or exploding
outputs stop it with an error that names the head and the iteration."""
from contextlib import contextmanager
from typing import Iterator

import torch
from mmengine.logging import MessageHub
from torch import Tensor

from ..losses import LogitRange, LogitRangeError, measure_logits
from ..losses.ranking import MAX_LOGIT_OVER_DELTA, logit_range_from_bounds
from .ranking_batch import RankingBatch


class TrainingDivergedError(RuntimeError):
    """A head met non-finite or exploding predictions while training."""


def _current_iteration() -> str:
    """'iteration N' (1-based) of the running mmengine loop, if any."""
    hub = MessageHub.get_current_instance()
    step = hub.get_info('iter')
    return 'an iteration' if step is None else f'iteration {step + 1}'


def divergence_error(head, logit_range: LogitRange,
                     bad_box_preds: int) -> TrainingDivergedError:
    """The error that stops training, naming the head and the iteration."""
    limit = MAX_LOGIT_OVER_DELTA * head.loss_cls.delta
    return TrainingDivergedError(
        f'{type(head).__name__}: training diverged at '
        f'{_current_iteration()}: {logit_range.num_non_finite} NaN/infinite '
        f'logits, largest finite |logit| {logit_range.largest_finite:.3g} '
        f'(the limit is {limit:.3g}), {bad_box_preds} non-finite box '
        'predictions of positives. Checkpoints saved so far are unaffected: '
        'resume from the last one with a lower learning rate, a longer '
        'warm-up or gradient clipping '
        '(optim_wrapper.clip_grad=dict(max_norm=35, norm_type=2)).')


def check_divergence(head, logits: Tensor, box_preds: Tensor) -> None:
    """Raise :class:`TrainingDivergedError` on NaN, infinite or exploding
    logits (beyond the ranking core's exact range) or non-finite box
    predictions, for a head that must know before its ranking loss is
    called (RS-PAA before PAA's GMM fits its candidates' losses, the DETR
    heads before scipy's Hungarian matching)."""
    logits = logits.detach()
    bad_box_preds = (~torch.isfinite(box_preds.detach())).sum()
    if logits.numel() == 0:
        logit_range, bad_box_preds = LogitRange(0, 0.0), int(bad_box_preds)
    else:
        # one read of the logits' range and the bad box count
        low, high, bad_box_preds = torch.stack([
            *(bound.double() for bound in torch.aminmax(logits)),
            bad_box_preds.double()
        ]).tolist()
        logit_range = logit_range_from_bounds(logits, low, high)
        bad_box_preds = int(bad_box_preds)
    limit = MAX_LOGIT_OVER_DELTA * head.loss_cls.delta
    if logit_range.exceeds(limit) or bad_box_preds:
        raise divergence_error(head, logit_range, bad_box_preds)


@contextmanager
def divergence_named_by(head, batch: RankingBatch) -> Iterator[None]:
    """Check the batch's box predictions now and its logits where the
    ranking core checks them (once, in its input check); either failure
    becomes a :class:`TrainingDivergedError` naming the head and the
    iteration."""
    bad_box_preds = int((~torch.isfinite(batch.pos_preds.detach())).sum())
    if bad_box_preds:
        raise divergence_error(head, measure_logits(batch.logits),
                               bad_box_preds)
    try:
        yield
    except LogitRangeError as error:
        raise divergence_error(head, error.logit_range, 0) from None
