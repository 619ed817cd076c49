"""aLRP Loss (Oksuz et al., NeurIPS 2020, Sec. 4)."""
from typing import Tuple, Union

import torch
from torch import Tensor, nn

from mmdet.registry import MODELS
from .ranking import (BatchRanking, RankingStats, RankingTerms,
                      check_loss_module_args)


def check_loc_errors(loc_errors: Tensor, num_pos: int) -> None:
    """Raise if ``loc_errors`` is not one value in [0, 1] per positive."""
    if not isinstance(loc_errors, Tensor) or not loc_errors.is_floating_point():
        raise TypeError('loc_errors must be a floating-point tensor, got '
                        f'{getattr(loc_errors, "dtype", type(loc_errors))}')
    if loc_errors.dim() != 1 or loc_errors.numel() != num_pos:
        raise ValueError(f'loc_errors must hold one entry per positive '
                         f'({num_pos}), got shape {tuple(loc_errors.shape)}')
    if num_pos == 0:
        return
    tol = max(1e-5, torch.finfo(loc_errors.dtype).eps)
    low, high = torch.aminmax(loc_errors.detach())
    if not (low >= -tol and high <= 1 + tol):
        raise ValueError('loc_errors must be normalised to [0, 1] (e.g. '
                         '(1 - GIoU) / 2 / (1 - tau)); found values in '
                         f'[{low.item():.6g}, {high.item():.6g}]')


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
        ``loc_errors`` only.
    """
    ranking = BatchRanking(logits, labels, delta)
    check_loc_errors(loc_errors, ranking.num_pos)
    if ranking.num_pos == 0:
        loss_cls, stats = ranking.loss(None)
        loss_loc = loc_errors.sum().to(loss_cls.dtype)
    else:
        errors = loc_errors.detach().double()
        terms = RankingTerms(
            value=ranking.n_fp / ranking.rank,
            error=(ranking.n_fp + ranking.smoothed_sum(errors)) / ranking.rank,
            normaliser=ranking.num_pos)
        loss_cls, stats = ranking.loss(terms)
        rank = ranking.rank.to(loss_cls.dtype)
        loss_loc = (ranking.step_sum(loc_errors.to(loss_cls.dtype)) /
                    rank).sum() / ranking.num_pos
    if return_stats:
        return loss_cls, loss_loc, stats
    return loss_cls, loss_loc


@MODELS.register_module()
class ALRPLoss(nn.Module):
    """aLRP Loss module with its self-balancing (SB) state (Sec. 4.2).

    Heads call it with the whole batch and add ``sb_weight * loss_loc`` to
    ``loss_cls``. While training it accumulates the epoch sums of the aLRP
    loss and of its localisation part over iterations with positives;
    :class:`~alrp_mmdet.engine.hooks.SelfBalanceHook` turns them into the next
    weight, mean(L_aLRP) / mean(L_loc), at every epoch end. Weight and sums
    are buffers, so checkpoints keep them and a resumed run continues with
    the same weight.

    Args:
        delta: half-width of the smoothed step H.
        sb_init: SB weight before the first update (paper: 50).
        use_sigmoid: must be True; tells mmdet heads to size their
            classifier with ``num_classes`` sigmoid outputs.
    """

    def __init__(self, delta: float = 1.0, sb_init: float = 50.0,
                 use_sigmoid: bool = True):
        super().__init__()
        check_loss_module_args('ALRPLoss', use_sigmoid, delta)
        if not sb_init > 0:
            raise ValueError(f'sb_init must be positive, got {sb_init}')
        self.delta = float(delta)
        self.use_sigmoid = True
        self.register_buffer('sb_weight',
                             torch.tensor(float(sb_init), dtype=torch.float64))
        # epoch sums: [sum of L_aLRP, sum of L_loc, iterations with positives]
        self.register_buffer('epoch_sums',
                             torch.zeros(3, dtype=torch.float64))
        self.register_buffer('num_empty_batches',
                             torch.zeros((), dtype=torch.long))

    def forward(self, logits: Tensor, labels: Tensor, loc_errors: Tensor
                ) -> Tuple[Tensor, Tensor, RankingStats]:
        """Returns ``(loss_cls, loss_loc, stats)`` (see :func:`alrp_loss`);
        ``loss_loc`` is not yet multiplied by :attr:`sb_weight`."""
        loss_cls, loss_loc, stats = alrp_loss(logits, labels, loc_errors,
                                              self.delta, return_stats=True)
        if self.training and stats.num_pos == 0:
            self.num_empty_batches += 1
        elif self.training:
            with torch.no_grad():
                total = (loss_cls + loss_loc).double()
                self.epoch_sums += torch.stack(
                    [total, loss_loc.double(), total.new_ones(())])
        return loss_cls, loss_loc, stats

    def update_sb_weight(self) -> None:
        """Set the weight to the epoch's mean(L_aLRP) / mean(L_loc) and
        start a new epoch; keeps the weight if the epoch had no positives or
        no localisation error. Call after summing ``epoch_sums`` over ranks.
        """
        total, loc, count = self.epoch_sums.tolist()
        if count > 0 and loc > 0:
            self.sb_weight.fill_(total / loc)
        self.epoch_sums.zero_()

    def get_cls_channels(self, num_classes: int) -> int:
        """Classifier width for mmdet's BBoxHead: one sigmoid logit per
        class, no background logit."""
        return num_classes

    def get_activation(self, cls_score: Tensor) -> Tensor:
        """Test-time scores for mmdet's BBoxHead: sigmoid of each class plus
        a zero background column, which ``multiclass_nms`` drops."""
        scores = cls_score.sigmoid()
        return torch.cat([scores, scores.new_zeros(len(scores), 1)], dim=1)

    def extra_repr(self) -> str:
        return f'delta={self.delta}, sb_weight={float(self.sb_weight):.4g}'
