"""What every ranking-loss head shares: one-vs-all labels of the batch and
the call into the ranking core (aLRP Loss or AP Loss)."""
from typing import Optional

import torch
from torch import Tensor

from mmdet.models.losses import GIoULoss, IoULoss
from ..losses import ALRPLoss, APLoss, normalise_loc_errors

#: range of each supported IoU-based loss, used to normalise E_loc
LOC_LOSS_RANGES = {GIoULoss: 2.0, IoULoss: 1.0}


def positive_rows(labels: Tensor, num_classes: int) -> Tensor:
    """Indices of the rows labelled with a class (background is
    ``num_classes`` in mmdet 3.x), in ascending order."""
    return torch.nonzero((labels >= 0) & (labels < num_classes)).squeeze(1)


def one_vs_all_labels(labels: Tensor, label_weights: Tensor,
                      pos_rows: Tensor, num_classes: int) -> Tensor:
    """(num_rows * num_classes, ) ranking labels, row-major like the
    flattened logits: 1 at (positive row, its class), 0 elsewhere, -1 on
    every entry of a row whose weight is 0 (ignored anchor)."""
    num_rows = labels.size(0)
    if label_weights.shape != (num_rows, ):
        raise ValueError(f'label_weights shape {tuple(label_weights.shape)} '
                         f'does not match the {num_rows} labels')
    targets = labels.new_zeros((num_rows, num_classes))
    targets[pos_rows, labels[pos_rows]] = 1
    targets[label_weights <= 0] = -1
    return targets.reshape(-1)


class RankingHeadMixin:
    """Config checks shared by the ranking-loss heads."""

    @property
    def classifier_width(self) -> int:
        """Number of classification outputs per anchor (point, RoI)."""
        return self.cls_out_channels

    def _check_ranking_loss(self, loss_type: type) -> None:
        if not isinstance(self.loss_cls, loss_type):
            raise TypeError(f'{type(self).__name__} needs loss_cls='
                            f"dict(type='{loss_type.__name__}'), got "
                            f'{type(self.loss_cls).__name__}')
        if self.classifier_width != self.num_classes:
            raise ValueError(
                f'{type(self).__name__}: the classifier has '
                f'{self.classifier_width} outputs for {self.num_classes} '
                'classes; set use_sigmoid=True in loss_cls')

    def _check_logits(self, logits: Tensor, labels: Tensor) -> None:
        if logits.dim() != 2 or logits.size(1) != self.num_classes:
            raise ValueError(f'{type(self).__name__}: expected logits of '
                             f'shape (rows, {self.num_classes}), got '
                             f'{tuple(logits.shape)}')
        if labels.shape != logits.shape[:1]:
            raise ValueError(f'labels shape {tuple(labels.shape)} does not '
                             f'match the {logits.size(0)} rows of the logits')


class ALRPHeadMixin(RankingHeadMixin):
    """Feeds a head's whole batch to its :class:`ALRPLoss`.

    Args:
        tau: IoU threshold of LRP's localisation error (Eq. 6).
        loss_cls: must be ``ALRPLoss``.
        loss_bbox: ``GIoULoss`` (or linear ``IoULoss``), reduction 'none'.
        reg_decoded_bbox: must be True where the host head takes it: E_loc
            compares decoded boxes.
    """

    def __init__(self,
                 *args,
                 tau: float = 0.5,
                 loss_cls: dict = dict(type='ALRPLoss', use_sigmoid=True),
                 loss_bbox: dict = dict(type='GIoULoss', reduction='none'),
                 **kwargs) -> None:
        if not kwargs.get('reg_decoded_bbox', True):
            raise ValueError('aLRP heads compare decoded boxes: '
                             'reg_decoded_bbox must be True')
        super().__init__(*args, loss_cls=loss_cls, loss_bbox=loss_bbox,
                         **kwargs)
        self._check_alrp_losses(tau)

    def _check_alrp_losses(self, tau: float) -> None:
        self._check_ranking_loss(ALRPLoss)
        loss_range = LOC_LOSS_RANGES.get(type(self.loss_bbox))
        if loss_range is None or self.loss_bbox.reduction != 'none' or (
                isinstance(self.loss_bbox, IoULoss)
                and self.loss_bbox.mode != 'linear'):
            raise TypeError(
                f'{type(self).__name__} needs loss_bbox=dict(type='
                "'GIoULoss', reduction='none') (or a linear IoULoss), got "
                f'{self.loss_bbox}')
        if not 0 <= tau < 1:
            raise ValueError(f'tau must be in [0, 1), got {tau}')
        self.tau = tau
        self.loc_loss_range = loss_range

    def alrp_losses(self, logits: Tensor, labels: Tensor,
                    label_weights: Tensor, pos_rows: Tensor,
                    pred_boxes: Tensor, gt_boxes: Tensor) -> dict:
        """aLRP loss of one batch of rows (anchors, points or RoIs).

        Args:
            logits: (num_rows, num_classes) classification logits.
            labels: (num_rows, ) class of each row; only ``pos_rows`` are
                read.
            label_weights: (num_rows, ); rows with weight 0 are ignored for
                every class.
            pos_rows: ascending indices of the positive rows, those whose
                label is in [0, num_classes) (see :func:`positive_rows`).
            pred_boxes: (num_pos, 4) decoded boxes of the positive rows, in
                row order.
            gt_boxes: (num_pos, 4) their ground-truth boxes.

        Returns:
            dict with ``loss_cls``, ``loss_bbox`` (SB-weighted localisation
            term) and diagnostics ``sb_weight``, ``grad_balance``,
            ``num_pos`` and ``empty_batches``.
        """
        self._check_logits(logits, labels)
        targets = one_vs_all_labels(labels, label_weights, pos_rows,
                                    self.num_classes)
        if len(pred_boxes) == 0:
            # mmdet's overlaps of zero boxes are a new tensor without graph;
            # keep the regression branch in the graph so DDP sees its grads
            iou_losses = pred_boxes.float().sum(dim=1)
        else:
            iou_losses = self.loss_bbox(pred_boxes.float(), gt_boxes.float())
        loc_errors = normalise_loc_errors(iou_losses, self.loc_loss_range,
                                          self.tau)
        loss_cls, loss_loc, stats = self.loss_cls(logits.reshape(-1),
                                                  targets, loc_errors)
        sb_weight = self.loss_cls.sb_weight
        return dict(
            loss_cls=loss_cls,
            loss_bbox=sb_weight.to(loss_loc.dtype) * loss_loc,
            sb_weight=sb_weight.float().detach().clone(),
            grad_balance=loss_cls.new_tensor(stats.grad_balance),
            num_pos=loss_cls.new_tensor(float(stats.num_pos)),
            empty_batches=self.loss_cls.num_empty_batches.float().clone())


class APLossHeadMixin(RankingHeadMixin):
    """Feeds a head's whole batch to its :class:`APLoss` (the paper's
    baseline, Table 2 and 7): AP Loss on the scores plus ``loss_bbox`` on
    the regression outputs of the positives, averaged over their
    coordinates, weight 1, no self-balancing.

    Args:
        loss_cls: must be ``APLoss``.
        loss_bbox: default :attr:`default_loss_bbox` (the paper's Smooth L1).
    """
    default_loss_bbox = dict(type='SmoothL1Loss', beta=1.0)

    def __init__(self,
                 *args,
                 loss_cls: dict = dict(type='APLoss', use_sigmoid=True),
                 loss_bbox: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(*args, loss_cls=loss_cls,
                         loss_bbox=loss_bbox or self.default_loss_bbox,
                         **kwargs)
        self._check_ranking_loss(APLoss)

    def ap_losses(self, logits: Tensor, labels: Tensor,
                  label_weights: Tensor, pos_rows: Tensor,
                  pos_preds: Tensor, pos_targets: Tensor) -> dict:
        """AP Loss of one batch of rows; ``pos_preds`` and ``pos_targets``
        are the regression outputs and targets of ``pos_rows``."""
        self._check_logits(logits, labels)
        targets = one_vs_all_labels(labels, label_weights, pos_rows,
                                    self.num_classes)
        loss_cls, stats = self.loss_cls(logits.reshape(-1), targets)
        if len(pos_preds) == 0:
            loss_bbox = pos_preds.sum() * 0
        else:
            loss_bbox = self.loss_bbox(pos_preds, pos_targets)
        return dict(
            loss_cls=loss_cls,
            loss_bbox=loss_bbox,
            grad_balance=loss_cls.new_tensor(stats.grad_balance),
            num_pos=loss_cls.new_tensor(float(stats.num_pos)))
