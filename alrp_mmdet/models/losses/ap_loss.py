"""AP Loss (Chen et al., CVPR 2019) as derived in aLRP's Sec. 3."""
from typing import Tuple, Union

from torch import Tensor, nn

from mmdet.registry import MODELS
from .ranking import (RankingStats, RankingTerms, check_loss_module_args,
                      error_driven_ranking_loss)


def ap_loss(logits: Tensor,
            labels: Tensor,
            delta: float = 1.0,
            interpolated: bool = False,
            return_stats: bool = False
            ) -> Union[Tensor, Tuple[Tensor, RankingStats]]:
    """AP Loss of one batch: ``mean_i N_FP(i) / rank(i)`` (Eq. 4).

    Primary terms ``L_ij = H(x_ij) / rank(i)`` with target 0, so a positive
    gets ``-(1 - precision(i)) / |P|`` and passes it on to the negatives
    above it in proportion to ``H(x_ij)`` (Eq. 5).

    Args:
        logits: 1-D logits, one per (anchor, class) pair of the batch.
        labels: same shape, integer: 1 positive, 0 negative, -1 ignored.
        delta: half-width of the smoothed step H.
        interpolated: use the official AP Loss's interpolated precision:
            each positive takes the highest precision among positives with
            lower or equal score, as in interpolated AP. Loss
            ``1 - mean_i maxprec(i)``; the baseline configs use it.
        return_stats: also return :class:`RankingStats`.
    """

    def terms(ranking):
        precision = ranking.rank_pos / ranking.rank
        if interpolated:
            precision = ranking.max_at_or_below(precision)
        error = 1.0 - precision
        return RankingTerms(error, error, ranking.num_pos)

    loss, _, stats = error_driven_ranking_loss(logits, labels, terms, delta)
    return (loss, stats) if return_stats else loss


@MODELS.register_module()
class APLoss(nn.Module):
    """AP Loss module for configs (wraps :func:`ap_loss`).

    Args:
        delta: half-width of the smoothed step H.
        interpolated: interpolated precision as in the official AP Loss.
        use_sigmoid: must be True (sigmoid classifier of num_classes).
        loss_weight: multiplies the loss.
    """

    def __init__(self, delta: float = 1.0, interpolated: bool = False,
                 use_sigmoid: bool = True, loss_weight: float = 1.0):
        super().__init__()
        check_loss_module_args('APLoss', use_sigmoid, delta)
        self.delta = float(delta)
        self.interpolated = interpolated
        self.use_sigmoid = True
        self.loss_weight = loss_weight

    def forward(self, logits: Tensor, labels: Tensor
                ) -> Tuple[Tensor, RankingStats]:
        """Returns ``(loss, stats)``; see :func:`ap_loss`."""
        loss, stats = ap_loss(logits, labels, self.delta, self.interpolated,
                              return_stats=True)
        return self.loss_weight * loss, stats

    def extra_repr(self) -> str:
        return f'delta={self.delta}, interpolated={self.interpolated}'
