"""The geometry axis's common output: a head's whole batch as rows.

Every gatherer (:mod:`.dense_gatherers`, :mod:`.roi_gatherer`,
:mod:`.query_gatherers`) returns a :class:`RankingBatch`; the objectives
(:mod:`.objectives`) only read it.
"""
from typing import NamedTuple

import torch
from torch import Tensor


class RankingBatch(NamedTuple):
    """A head's whole batch, flattened into rows.

    Attributes:
        logits: (num_rows, num_classes) classification logits.
        labels: (num_rows, ) class of each row; ``num_classes`` (mmdet's
            background) for negatives.
        label_weights: (num_rows, ); rows with weight 0 are ignored for
            every class.
        pos_rows: ascending indices of the positive rows, those whose label
            is in [0, num_classes).
        pos_preds: the positive rows' predictions: decoded boxes (x1, y1,
            x2, y2) when ``boxes_decoded``, else the head's raw regression
            outputs.
        pos_targets: their targets in the same form: gt boxes, or the
            head's encoded regression targets.
        boxes_decoded: which of the two forms ``pos_preds`` and
            ``pos_targets`` hold; each objective refuses the other form.
    """
    logits: Tensor
    labels: Tensor
    label_weights: Tensor
    pos_rows: Tensor
    pos_preds: Tensor
    pos_targets: Tensor
    boxes_decoded: bool


def positive_rows(labels: Tensor, num_classes: int) -> Tensor:
    """Indices of the rows labelled with a class (background is
    ``num_classes`` in mmdet 3.x), in ascending order."""
    return torch.nonzero((labels >= 0) & (labels < num_classes)).squeeze(1)
