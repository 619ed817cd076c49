"""AP Loss (Chen et al., CVPR 2019) as derived in aLRP's Sec. 3."""
from typing import Tuple, Union

from torch import Tensor, nn

from mmdet.registry import MODELS
from .arg_checks import check_bool, check_positive, check_ranking_loss_args
from .head_calls import refuse_element_wise_call
from .ranking import RankingStats, RankingTerms, error_driven_ranking_loss
from .ranking_loss_output import RankingLossOutput


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
    """AP Loss module for configs (wraps :func:`ap_loss`); returns a
    :class:`~.RankingLossOutput`.

    Args:
        delta: half-width of the smoothed step H.
        interpolated: interpolated precision as in the official AP Loss.
        use_sigmoid: must be True (sigmoid classifier of num_classes).
        loss_weight: multiplies the loss (a finite positive number).
    """

    def __init__(self, delta: float = 1.0, interpolated: bool = False,
                 use_sigmoid: bool = True, loss_weight: float = 1.0):
        super().__init__()
        self.delta = check_ranking_loss_args('APLoss', use_sigmoid, delta)
        self.loss_weight = check_positive('APLoss', 'loss_weight',
                                          loss_weight)
        self.interpolated = check_bool('APLoss', 'interpolated',
                                       interpolated)
        self.use_sigmoid = True

    def forward(self,
                logits: Tensor,
                labels: Tensor,
                weight: None = None,
                *,
                avg_factor: None = None,
                reduction_override: None = None) -> RankingLossOutput:
        """AP Loss of one batch (see :func:`ap_loss`) as ``loss_cls``,
        with the error-driven gradient of Eq. 5 on the logits.

        ``weight``, ``avg_factor`` and ``reduction_override`` are refused
        with a TypeError naming the head to use: they mean that an mmdet
        head called this loss element-wise (see :mod:`.head_calls`)."""
        refuse_element_wise_call(self, weight=weight, avg_factor=avg_factor,
                                 reduction_override=reduction_override)
        loss, stats = ap_loss(logits, labels, self.delta, self.interpolated,
                              return_stats=True)
        return RankingLossOutput(
            losses=dict(loss_cls=self.loss_weight * loss), stats=stats)

    def extra_repr(self) -> str:
        return (f'delta={self.delta}, interpolated={self.interpolated}, '
                f'loss_weight={self.loss_weight}')
