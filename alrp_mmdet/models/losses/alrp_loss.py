"""aLRP Loss (Oksuz et al., NeurIPS 2020, Sec. 4)."""
from typing import Tuple, Union

import torch
from torch import Tensor, nn

from mmdet.registry import MODELS
from .ranking import BatchRanking, RankingStats, RankingTerms


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
    """aLRP Loss module for configs (wraps :func:`alrp_loss`).

    Args:
        delta: half-width of the smoothed step H.
        use_sigmoid: must be True; tells mmdet heads to size their
            classifier with ``num_classes`` sigmoid outputs.
    """

    def __init__(self, delta: float = 1.0, use_sigmoid: bool = True):
        super().__init__()
        if not use_sigmoid:
            raise ValueError('ALRPLoss ranks sigmoid logits: use_sigmoid must '
                             'be True')
        if not delta > 0:
            raise ValueError(f'delta must be positive, got {delta}')
        self.delta = float(delta)
        self.use_sigmoid = True

    def forward(self, logits: Tensor, labels: Tensor, loc_errors: Tensor
                ) -> Tuple[Tensor, Tensor, RankingStats]:
        """Returns ``(loss_cls, loss_loc, stats)``; see :func:`alrp_loss`."""
        return alrp_loss(logits, labels, loc_errors, self.delta,
                         return_stats=True)

    def extra_repr(self) -> str:
        return f'delta={self.delta}'
