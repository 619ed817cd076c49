"""The one output type of the ranking-loss modules."""
from typing import Dict, NamedTuple

import torch
from torch import Tensor

from .ranking import RankingStats


class RankingLossOutput(NamedTuple):
    """What :class:`~.ALRPLoss`, :class:`~.APLoss` and
    :class:`~.RankSortLoss` return for one batch.

    Attributes:
        losses: the module's loss terms under their mmdet keys, each times
            its ``loss_weight``: ``loss_cls`` (AP Loss; aLRP's ranking part,
            which carries the whole aLRP gradient to the logits),
            ``loss_bbox`` (aLRP's localisation part times the SB weight),
            ``loss_rank`` and ``loss_sort`` (RS Loss).
        stats: diagnostics of the ranking.
        diagnostics: numbers of the module's own state, logged and never
            summed (ALRPLoss: ``sb_weight``, the SB weight that multiplied
            the localisation part, and ``empty_batches``, training batches
            without a positive so far).
    """
    losses: Dict[str, Tensor]
    stats: RankingStats
    diagnostics: Dict[str, float] = {}

    def to_dict(self, **head_entries: Tensor) -> Dict[str, Tensor]:
        """mmdet's loss dict: :attr:`losses`, the head's own entries (e.g.
        a box loss the module does not compute), then :attr:`diagnostics`,
        ``grad_balance`` and ``num_pos`` as float32 scalars. Only names
        holding "loss" are summed into mmdet's total."""
        value = next(iter(self.losses.values())).new_tensor
        numbers = dict(self.diagnostics,
                       grad_balance=self.stats.grad_balance,
                       num_pos=float(self.stats.num_pos))
        return dict(self.losses, **head_entries, **{
            key: value(number, dtype=torch.float32)
            for key, number in numbers.items()
        })
