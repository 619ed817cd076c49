"""aLRP Loss (Oksuz et al., NeurIPS 2020, Sec. 4)."""
import logging
from dataclasses import dataclass
from typing import List, Tuple, Union

import torch
from mmengine.dist import all_reduce
from mmengine.logging import MessageHub, print_log
from mmengine.model import is_model_wrapper
from torch import Tensor, nn

from mmdet.registry import MODELS
from .arg_checks import (check_per_positive, check_positive,
                         check_ranking_loss_args)
from .head_calls import refuse_element_wise_call
from .ranking import (BatchRanking, RankingStats, RankingTerms,
                      error_driven_ranking_loss)
from .ranking_loss_output import RankingLossOutput
from .sigmoid_classifier import SigmoidClassifierMixin


def check_loc_errors(loc_errors: Tensor, num_pos: int) -> None:
    """Raise if ``loc_errors`` is not one finite value in [0, 1] per
    positive."""
    check_per_positive('loc_errors', loc_errors, num_pos,
                       ' (normalised, e.g. (1 - GIoU) / 2 / (1 - tau))')


def normalise_loc_errors(iou_losses: Tensor, loss_range: float,
                         tau: float) -> Tensor:
    """LRP's localisation error E_loc = IoU loss / range / (1 - tau) (Eq. 6),
    in float32, for boxes whose IoU-based loss is ``iou_losses``.

    ``loss_range`` is 2 for GIoU loss (1 - GIoU in [0, 2]) and 1 for IoU
    loss. E_loc passes 1 only for boxes worse than a false positive would
    be (IoU loss: IoU < tau; GIoU loss with tau = 0.5: GIoU < 0); their value
    is capped at 1, the error of a false positive, so it stays in [0, 1] as
    the ranking needs, while the gradient passes through unchanged and keeps
    improving the box.
    """
    errors = iou_losses.float() / (loss_range * (1.0 - tau))
    return errors - (errors - 1.0).clamp(min=0).detach()


def alrp_loss(logits: Tensor,
              labels: Tensor,
              loc_errors: Tensor,
              delta: float = 1.0,
              return_stats: bool = False
              ) -> Union[Tuple[Tensor, Tensor],
                         Tuple[Tensor, Tensor, RankingStats]]:
    """aLRP Loss of one batch, split into its two components (Eq. 11).

    Args:
        logits: 1-D logits, one per (anchor, class) pair of the whole batch.
        labels: same shape, integer: 1 positive, 0 negative, -1 ignored.
        loc_errors: one localisation error per positive, in the order the
            positives appear in ``logits``, normalised to [0, 1]; carries
            the graph to the boxes.
        delta: half-width of the smoothed step H (paper: 1).
        return_stats: also return :class:`RankingStats`.

    Returns:
        ``(loss_cls, loss_loc)``. ``loss_cls = mean_i N_FP(i) / rank(i)``;
        its backward puts the error-driven gradient of the whole aLRP loss
        on ``logits`` (Eqs. 5, 14: a positive's error counts the
        localisation errors of positives ranked above it, not its own).
        ``loss_loc = mean_i sum_{s_k >= s_i} E_loc(k) / rank(i)`` with the
        step function and constant ranks; its backward reaches
        ``loc_errors`` only. Without positives both are 0 (``loss_loc``
        still reaches ``loc_errors``, with zero gradient).
    """

    def terms(ranking: BatchRanking) -> RankingTerms:
        check_loc_errors(loc_errors, ranking.num_pos)
        errors = loc_errors.detach().double()
        return RankingTerms(
            value=ranking.n_fp / ranking.rank,
            error=(ranking.n_fp + ranking.smoothed_sum(errors)) / ranking.rank,
            normaliser=ranking.num_pos)

    loss_cls, ranking, stats = error_driven_ranking_loss(
        logits, labels, terms, delta)
    if ranking.num_pos == 0:
        check_loc_errors(loc_errors, 0)
        loss_loc = loc_errors.sum().to(loss_cls.dtype)
    else:
        rank = ranking.rank.to(loss_cls.dtype)
        loss_loc = (ranking.step_sum(loc_errors.to(loss_cls.dtype)) /
                    rank).sum() / ranking.num_pos
    if return_stats:
        return loss_cls, loss_loc, stats
    return loss_cls, loss_loc


@dataclass
class _RankTotals:
    """This rank's training totals since the last synchronisation (the SB
    hook synchronises after every iteration). A ranking is one call of the
    loss: one a batch for dense and RoI heads, one per decoder layer,
    denoising group and proposal set for a DETR head."""
    alrp_loss: float = 0.0
    loc_loss: float = 0.0
    rankings_with_pos: int = 0
    rankings_without_pos: int = 0

    @property
    def batch_without_pos(self) -> bool:
        """Whether the rankings since the last synchronisation (this
        iteration's) had no positive at all: a batch without objects."""
        return self.rankings_without_pos > 0 and self.rankings_with_pos == 0


@MODELS.register_module()
class ALRPLoss(SigmoidClassifierMixin, nn.Module):
    """aLRP Loss with its self-balancing (SB) weight (Sec. 4.2).

    Heads call it once with the whole batch and get a
    :class:`~.RankingLossOutput` (losses ``loss_cls`` and ``loss_bbox``,
    diagnostics ``sb_weight`` and ``empty_batches``); they never touch the
    SB state. Everything about
    SB lives here; :class:`~alrp_mmdet.engine.hooks.SelfBalanceHook` only
    says when to synchronise and when to update.

    SB state and DDP. Each training forward adds this batch's L_aLRP and
    L_loc to totals held as plain Python numbers of this rank, which no
    DDP setting can see or overwrite. :meth:`sync_epoch_totals` (the hook
    calls it after every training iteration) sums them over all ranks into
    the buffers ``epoch_sums`` (sum of L_aLRP, sum of L_loc, rankings with
    positives) and ``num_empty_batches`` (training batches whose rankings
    had no positive, all ranks; a DETR head ranks 5 to 13 times a batch,
    counted once); the buffers hold the same value
    on every rank, so DDP's ``broadcast_buffers`` cannot change them, and
    the checkpoint (written by rank 0) holds the exact state of the run.
    :meth:`update_sb_weight` sets ``sb_weight`` to mean(L_aLRP) /
    mean(L_loc) over the rankings with positives of every rank.

    Args:
        delta: half-width of the smoothed step H (paper: 1).
        sb_init: SB weight before the first update (paper: 50).
        use_sigmoid: must be True; tells mmdet heads to size their
            classifier with ``num_classes`` sigmoid outputs.
        loss_weight: multiplies both parts (a finite positive number); the
            SB weight, a ratio of unweighted losses, does not change.
    """

    def __init__(self, delta: float = 1.0, sb_init: float = 50.0,
                 use_sigmoid: bool = True, loss_weight: float = 1.0):
        super().__init__()
        self.delta = check_ranking_loss_args('ALRPLoss', use_sigmoid, delta)
        sb_init = check_positive('ALRPLoss', 'sb_init', sb_init)
        self.loss_weight = check_positive('ALRPLoss', 'loss_weight',
                                          loss_weight)
        self.use_sigmoid = True
        self.sb_fixed = False
        self.register_buffer('sb_weight',
                             torch.tensor(sb_init, dtype=torch.float64))
        self.register_buffer('epoch_sums',
                             torch.zeros(3, dtype=torch.float64))
        self.register_buffer('num_empty_batches',
                             torch.zeros((), dtype=torch.long))
        self._rank_totals = _RankTotals()
        #: set by SelfBalanceHook before training; without it the weight
        #: never changes, which the first training iteration warns about
        self.sb_hook_attached = False
        self._warned_without_hook = False

    def forward(self,
                logits: Tensor,
                labels: Tensor,
                loc_errors: Tensor,
                *,
                weight: None = None,
                avg_factor: None = None,
                reduction_override: None = None) -> RankingLossOutput:
        """aLRP Loss of one batch (see :func:`alrp_loss`) with the
        localisation part weighted by the SB weight; in training mode the
        batch is added to this rank's SB totals.

        ``weight``, ``avg_factor`` and ``reduction_override`` are refused
        with a TypeError naming the head to use: they mean that an mmdet
        head called this loss element-wise (see :mod:`.head_calls`)."""
        refuse_element_wise_call(self, weight=weight, avg_factor=avg_factor,
                                 reduction_override=reduction_override)
        loss_cls, loss_loc, stats = alrp_loss(logits, labels, loc_errors,
                                              self.delta, return_stats=True)
        if self.training:
            self._warn_without_hook()
        # one read of the four numbers (each read stalls a GPU stream)
        cls_value, loc_value, sb_value, empty_batches = torch.stack([
            loss_cls.detach().double(), loss_loc.detach().double(),
            self.sb_weight.double(), self.num_empty_batches.double()
        ]).tolist()
        totals = self._rank_totals
        if self.training and stats.num_pos == 0:
            totals.rankings_without_pos += 1
        elif self.training:
            totals.alrp_loss += cls_value + loc_value
            totals.loc_loss += loc_value
            totals.rankings_with_pos += 1
        sb_weight = self.sb_weight.to(loss_loc.dtype)
        return RankingLossOutput(
            losses=dict(loss_cls=self.loss_weight * loss_cls,
                        loss_bbox=self.loss_weight * sb_weight * loss_loc),
            stats=stats,
            diagnostics=dict(
                sb_weight=sb_value,
                empty_batches=int(empty_batches) +
                int(totals.batch_without_pos)))

    def _warn_without_hook(self) -> None:
        """Warn once, in a running mmengine loop, that no SelfBalanceHook
        will ever update the weight."""
        if self.sb_hook_attached or self._warned_without_hook or \
                MessageHub.get_current_instance().get_info('iter') is None:
            return
        self._warned_without_hook = True
        print_log(
            'ALRPLoss is training without SelfBalanceHook: its SB weight '
            f'stays at {float(self.sb_weight):g} (sb_init) for the whole run. '
            "Add custom_hooks = [dict(type='SelfBalanceHook')] to the config "
            "(SelfBalanceHook(fixed_weight=W) for a constant weight).",
            logger='current', level=logging.WARNING)

    def sync_epoch_totals(self) -> None:
        """Add every rank's totals since the last call to the buffers
        (a collective call: every rank must make it)."""
        totals = self._rank_totals
        summed = self.epoch_sums.new_tensor([
            totals.alrp_loss, totals.loc_loss, totals.rankings_with_pos,
            int(totals.batch_without_pos)
        ])
        all_reduce(summed, op='sum')
        self.epoch_sums += summed[:3]
        self.num_empty_batches += int(summed[3])
        self._rank_totals = _RankTotals()

    def update_sb_weight(self) -> None:
        """Synchronise, set the weight to mean(L_aLRP) / mean(L_loc) of the
        rankings with positives since the last update (unless the weight is
        fixed, or there was no such batch or no localisation error) and
        start a new period. A collective call."""
        self.sync_epoch_totals()
        total, loc, count = self.epoch_sums.tolist()
        if not self.sb_fixed and count > 0 and loc > 0:
            self.sb_weight.fill_(total / loc)
        self.epoch_sums.zero_()

    def fix_sb_weight(self, weight: float) -> None:
        """Switch SB off: train with this constant weight (paper Table 3)."""
        self.sb_weight.fill_(check_positive('ALRPLoss', 'fixed SB weight',
                                            weight))
        self.sb_fixed = True

    def extra_repr(self) -> str:
        return (f'delta={self.delta}, sb_weight={float(self.sb_weight):.4g}, '
                f'loss_weight={self.loss_weight}')


def find_alrp_losses(model: nn.Module) -> List[Tuple[str, ALRPLoss]]:
    """(name, module) of every :class:`ALRPLoss` in ``model`` (unwrapped
    from DDP or another mmengine model wrapper), in module order."""
    if is_model_wrapper(model):
        model = model.module
    return [(name, module) for name, module in model.named_modules()
            if isinstance(module, ALRPLoss)]
