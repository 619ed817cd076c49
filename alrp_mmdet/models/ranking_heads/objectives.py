"""The objective axis of the ranking heads: what a batch's loss is.

An objective is two things. A base class placed before the mmdet host in
a head's bases (:class:`ALRPObjective`, :class:`APLossObjective`,
:class:`RankSortObjective`) takes and checks the objective's config when
the head is built. A function of the same objective turns one
:class:`~.ranking_batch.RankingBatch` into mmdet's loss dict with one call
of the head's ranking loss module (:func:`alrp_batch_losses`,
:func:`ap_loss_batch_losses`, :func:`rank_sort_batch_losses`). A head is
then a declaration whose loss path is direct calls:

    class ALRPRetinaHead(ALRPObjective, RetinaHead):
        def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                         batch_img_metas, batch_gt_instances_ignore=None):
            return alrp_batch_losses(self, anchor_batch(
                self, cls_scores, bbox_preds, batch_gt_instances,
                batch_img_metas, batch_gt_instances_ignore))
"""
import numbers
from typing import List, NamedTuple, Optional

import torch
from torch import Tensor, nn

from mmdet.models.losses import (BoundedIoULoss, CIoULoss, DIoULoss, EIoULoss,
                                 GIoULoss, IoULoss, SIoULoss)
from mmdet.structures.bbox import bbox_overlaps
from ..losses import (ALRPLoss, APLoss, RankingLossOutput, RankSortLoss,
                      normalise_loc_errors)
from .divergence import divergence_named_by
from .ranking_batch import RankingBatch


#: range of each supported IoU-based loss, used to normalise E_loc
LOC_LOSS_RANGES = {GIoULoss: 2.0, IoULoss: 1.0}


#: mmdet's box losses that compare boxes (x1, y1, x2, y2), not deltas
BOX_OVERLAP_LOSSES = (IoULoss, BoundedIoULoss, GIoULoss, DIoULoss, CIoULoss,
                      EIoULoss, SIoULoss)


def loc_loss_of(head) -> nn.Module:
    """The head's IoU-based box loss (aLRP's E_loc, RS's box loss): the
    attribute its objective's :attr:`~RankingObjective.loc_loss_name`
    names."""
    return getattr(head, head.loc_loss_name)


def box_weights(pos_logits: Tensor) -> Tensor:
    """RS's weight of each positive: the detached highest class probability
    of its row of logits (float32)."""
    return pos_logits.detach().float().sigmoid().max(dim=1).values


def weighted_mean(values: Tensor, weights: Tensor) -> Tensor:
    """sum w_i v_i / sum w_i, the denominator 1 when sum w < 1e-12 (RS's
    weighted box and mask losses)."""
    total_weight = weights.sum()
    total_weight = torch.where(total_weight < 1e-12,
                               torch.ones_like(total_weight), total_weight)
    return (weights * values).sum() / total_weight


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
    targets.masked_fill_((label_weights <= 0)[:, None], -1)
    return targets.reshape(-1)


def ranking_labels(head, batch: RankingBatch) -> Tensor:
    """Check the batch's box form and shapes against the head and return
    its one-vs-all ranking labels.

    Raises:
        TypeError: the batch holds decoded boxes for an objective that
            regresses encoded targets, or the other way round.
        ValueError: the batch's shapes do not fit the head.
    """
    name = type(head).__name__
    if batch.boxes_decoded != head.regresses_boxes:
        held = ('decoded boxes' if batch.boxes_decoded else
                'encoded regression outputs')
        wanted = ('compares decoded boxes' if head.regresses_boxes else
                  'regresses encoded targets')
        raise TypeError(f'{name}: the batch holds {held}, but its objective '
                        f'{wanted}: gather it with decode_boxes='
                        f'{head.regresses_boxes} (fcos_batch, rtmdet_batch '
                        'and the query gatherers always decode: pair them '
                        'with aLRP or Rank & Sort)')
    logits = batch.logits
    if logits.dim() != 2 or logits.size(1) != head.num_classes:
        raise ValueError(f'{name}: expected logits of shape (rows, '
                         f'{head.num_classes}), got {tuple(logits.shape)}')
    if batch.labels.shape != logits.shape[:1]:
        raise ValueError(f'labels shape {tuple(batch.labels.shape)} does '
                         f'not match the {logits.size(0)} rows of the '
                         'logits')
    return one_vs_all_labels(batch.labels, batch.label_weights,
                             batch.pos_rows, head.num_classes)


class RankingObjective:
    """What every objective base checks when its head is built: the loss
    module and the meaning of ``reg_decoded_bbox``.

    Subclasses set :attr:`loss_type` (the ranking loss module ``loss_cls``
    must be) and :attr:`regresses_boxes` (whether the objective compares
    decoded boxes, or the head's encoded regression targets). A head whose
    IoU-based box loss is not ``loss_bbox`` names it in
    :attr:`loc_loss_name` (the DETR heads: ``loss_iou``, their
    ``loss_bbox`` being an L1 loss on normalised boxes). The host's
    ``reg_decoded_bbox``, where it has one (anchor and RoI heads), follows
    :attr:`regresses_boxes`; a config that asks for the other value is
    refused.

    Args:
        loss_cls: the ranking loss config; ``use_sigmoid`` defaults to True
            (the loss modules refuse False), so the host sizes its
            classifier with ``num_classes`` outputs.
        reg_decoded_bbox: leave unset, or give :attr:`regresses_boxes`.
    """
    loss_type: type
    regresses_boxes: bool
    loc_loss_name: str = 'loss_bbox'

    def __init__(self, *args, loss_cls: dict,
                 reg_decoded_bbox: Optional[bool] = None, **kwargs) -> None:
        loss_cls = dict(loss_cls)
        loss_cls.setdefault('use_sigmoid', True)
        super().__init__(*args, loss_cls=loss_cls, **kwargs)
        name = type(self).__name__
        if not hasattr(self, 'reg_decoded_bbox'):
            if reg_decoded_bbox is not None:
                raise TypeError(f'{name} takes no reg_decoded_bbox: it '
                                'decodes its boxes itself')
        elif reg_decoded_bbox not in (None, self.regresses_boxes):
            compares = ('compares decoded boxes' if self.regresses_boxes
                        else 'regresses encoded targets')
            raise ValueError(f'{name} {compares}: reg_decoded_bbox must be '
                             f'{self.regresses_boxes}')
        else:
            self.reg_decoded_bbox = self.regresses_boxes
        if not isinstance(self.loss_cls, self.loss_type):
            raise TypeError(f'{name} needs loss_cls=dict(type='
                            f"'{self.loss_type.__name__}'), got "
                            f'{type(self.loss_cls).__name__}')

    def check_iou_loss(self, why_weight_one: str) -> None:
        """Refuse a box IoU loss (:func:`loc_loss_of`) other than GIoU (or
        linear IoU) loss with reduction 'none' and loss_weight 1."""
        name = type(self).__name__
        key = self.loc_loss_name
        loss = getattr(self, key)
        if type(loss) not in LOC_LOSS_RANGES or loss.reduction != 'none' or (
                isinstance(loss, IoULoss) and loss.mode != 'linear'):
            raise TypeError(
                f"{name} needs {key}=dict(type='GIoULoss', "
                f"reduction='none') (or a linear IoULoss), got {loss}")
        if loss.loss_weight != 1:
            raise ValueError(f'{name}: {key}.loss_weight must be 1 (got '
                             f'{loss.loss_weight}); {why_weight_one}')


def _require_objective(head, objective: type, function: str) -> None:
    """Refuse a head whose bases do not hold the objective ``function``
    computes."""
    if not isinstance(head, objective):
        raise TypeError(f'{type(head).__name__}: {function} needs a head '
                        f'declared with {objective.__name__} (class '
                        f'{type(head).__name__}({objective.__name__}, '
                        '<mmdet head>))')


class ALRPObjective(RankingObjective):
    """The config of aLRP Loss on a head (paper Sec. 4): one ranking of
    every logit, E_loc of every positive from its decoded box,
    self-balanced; the loss is :func:`alrp_batch_losses`.

    Args:
        tau: IoU threshold of LRP's localisation error (Eq. 6).
        loss_cls: must be ``ALRPLoss``.
        loss_bbox: ``GIoULoss`` (or linear ``IoULoss``) with reduction
            'none' and loss_weight 1: it gives 1 - (G)IoU, which E_loc
            normalises; the SB weight is the only box-loss weight.
    """
    loss_type = ALRPLoss
    regresses_boxes = True

    def __init__(self,
                 *args,
                 tau: float = 0.5,
                 loss_cls: dict = dict(type='ALRPLoss'),
                 loss_bbox: dict = dict(type='GIoULoss', reduction='none'),
                 **kwargs) -> None:
        super().__init__(*args, loss_cls=loss_cls, loss_bbox=loss_bbox,
                         **kwargs)
        self.check_iou_loss(
            'E_loc is the normalised (G)IoU error and SB sets the '
            'localisation weight (use SelfBalanceHook(fixed_weight=W) for a '
            'constant one)')
        if isinstance(tau, bool) or not isinstance(tau, numbers.Real) \
                or not 0 <= tau < 1:
            raise ValueError(f'{type(self).__name__}: tau must be a number in '
                             f'[0, 1) (the IoU threshold of E_loc, paper: '
                             f'0.5), got {tau!r}')
        self.tau = float(tau)
        self.loc_loss_range = LOC_LOSS_RANGES[type(loc_loss_of(self))]


def alrp_batch_losses(head: ALRPObjective, batch: RankingBatch) -> dict:
    """aLRP Loss of one batch whose ``pos_preds`` / ``pos_targets`` are
    decoded boxes: E_loc of each positive (Eq. 6) from ``head.loss_bbox``,
    then one call of ``head.loss_cls`` (:class:`~..losses.ALRPLoss`).

    Returns:
        dict with ``loss_cls``, ``loss_bbox`` (SB-weighted localisation
        term) and diagnostics ``sb_weight``, ``grad_balance``, ``num_pos``
        and ``empty_batches``; see
        :class:`~alrp_mmdet.models.losses.RankingLossOutput`.
    """
    _require_objective(head, ALRPObjective, 'alrp_batch_losses')
    labels = ranking_labels(head, batch)
    with divergence_named_by(head, batch):
        if len(batch.pos_preds) == 0:
            # mmdet's overlaps of zero boxes are a new tensor without graph;
            # keep the regression branch in the graph so DDP sees its grads
            iou_losses = batch.pos_preds.float().sum(dim=1)
        else:
            iou_losses = loc_loss_of(head)(batch.pos_preds.float(),
                                           batch.pos_targets.float())
        loc_errors = normalise_loc_errors(iou_losses, head.loc_loss_range,
                                          head.tau)
        output = head.loss_cls(batch.logits.reshape(-1), labels, loc_errors)
    return output.to_dict()


class APLossObjective(RankingObjective):
    """The config of the paper's baseline (Tables 2 and 7) on a head: AP
    Loss on the whole batch's scores plus ``loss_bbox`` on the positives'
    encoded regression outputs, averaged over their coordinates, weight 1,
    no self-balancing; the loss is :func:`ap_loss_batch_losses`.

    Args:
        loss_cls: must be ``APLoss``.
        loss_bbox: default :attr:`default_loss_bbox` (the paper's Smooth L1).
    """
    loss_type = APLoss
    regresses_boxes = False
    default_loss_bbox = dict(type='SmoothL1Loss', beta=1.0)

    def __init__(self,
                 *args,
                 loss_cls: dict = dict(type='APLoss'),
                 loss_bbox: Optional[dict] = None,
                 **kwargs) -> None:
        super().__init__(*args, loss_cls=loss_cls,
                         loss_bbox=loss_bbox or self.default_loss_bbox,
                         **kwargs)
        if isinstance(self.loss_bbox, BOX_OVERLAP_LOSSES):
            raise TypeError(
                f'{type(self).__name__} regresses the encoded deltas of its '
                "box coder (the paper's baseline: Smooth L1 on deltas); "
                f'{type(self.loss_bbox).__name__} compares boxes and means '
                'nothing on deltas: use SmoothL1Loss or L1Loss (for a box '
                'IoU loss with a ranking loss, use the aLRP heads)')


def ap_loss_batch_losses(head: APLossObjective, batch: RankingBatch) -> dict:
    """AP Loss of one batch whose ``pos_preds`` / ``pos_targets`` are
    encoded regression outputs and targets: one call of ``head.loss_cls``
    (:class:`~..losses.APLoss`) plus ``head.loss_bbox`` on the positives.

    Returns:
        dict with ``loss_cls``, ``loss_bbox`` and diagnostics
        ``grad_balance`` and ``num_pos``.
    """
    _require_objective(head, APLossObjective, 'ap_loss_batch_losses')
    labels = ranking_labels(head, batch)
    with divergence_named_by(head, batch):
        output = head.loss_cls(batch.logits.reshape(-1), labels)
    if len(batch.pos_preds) == 0:
        loss_bbox = batch.pos_preds.sum() * 0
    else:
        loss_bbox = head.loss_bbox(batch.pos_preds, batch.pos_targets)
    return output.to_dict(loss_bbox=loss_bbox)


class RankSortObjective(RankingObjective):
    """The config of Rank & Sort Loss on a head (RS paper; reference
    section 2.0); the loss is :func:`rank_sort_batch_losses`.

    Args:
        loss_cls: must be ``RankSortLoss``.
        loss_bbox: ``GIoULoss`` (or linear ``IoULoss``) with reduction
            'none' and loss_weight 1.
    """
    loss_type = RankSortLoss
    regresses_boxes = True

    def __init__(self,
                 *args,
                 loss_cls: dict = dict(type='RankSortLoss'),
                 loss_bbox: dict = dict(type='GIoULoss', reduction='none'),
                 **kwargs) -> None:
        super().__init__(*args, loss_cls=loss_cls, loss_bbox=loss_bbox,
                         **kwargs)
        self.check_iou_loss('the box loss is balanced by value every '
                            'iteration')


def rank_and_sort(head, batch: RankingBatch,
                  caller: str) -> RankingLossOutput:
    """One call of ``head.loss_cls`` (:class:`~..losses.RankSortLoss`) on
    every logit of the batch, the positives sorted by the IoU of their
    detached boxes with their gt boxes."""
    _require_objective(head, RankSortObjective, caller)
    labels = ranking_labels(head, batch)
    with divergence_named_by(head, batch):
        preds = batch.pos_preds.detach().float()
        ious = bbox_overlaps(preds, batch.pos_targets.float(),
                             is_aligned=True).clamp(0, 1) if len(preds) \
            else preds.new_zeros(0)
        return head.loss_cls(batch.logits.reshape(-1), labels, ious)


def value_balance(target_value: Tensor, loss: Tensor) -> float:
    """The detached lambda with lambda * loss = target_value in value (RS's
    balance of its box losses); 0 when the loss is 0 (nothing to improve)
    or the target is 0, never inf or NaN."""
    return value_balances(target_value, loss)[0]


def value_balances(target_value: Tensor, *losses: Tensor) -> List[float]:
    """:func:`value_balance` of each loss, with one read of all values
    (each read stalls a GPU stream)."""
    target, *loss_values = torch.stack(
        [value.detach().double() for value in (target_value, *losses)]
    ).tolist()
    return [target / loss_value if loss_value > 0 else 0.0
            for loss_value in loss_values]


def rank_sort_batch_losses(head: RankSortObjective,
                           batch: RankingBatch) -> dict:
    """Rank & Sort Loss of one batch whose ``pos_preds`` / ``pos_targets``
    are decoded boxes, with one ranking of every logit (one call of
    ``head.loss_cls``, :class:`~..losses.RankSortLoss`) and a score-weighted
    box loss balanced by value.

    Per batch: IoU targets y_i = IoU of the detached decoded prediction
    with its gt box; box weights w_i = max over classes of the detached
    sigmoid of the positive row; L_box = sum_i w_i GIoU-loss_i / sum_i w_i
    (denominator 1 when sum w < 1e-12); ``loss_bbox`` = lambda * L_box with
    the detached lambda = (loss_rank + loss_sort) / L_box, so its value
    equals the RS value and no weight is tuned. Guards: lambda is 0 when
    L_box is 0 (nothing to improve) or the RS value is 0 (the reference's
    value equality; the box branch then gets no gradient that iteration),
    never inf or NaN. Nothing is stored: no hook, no checkpoint state.

    Returns:
        dict with ``loss_rank``, ``loss_sort``, ``loss_bbox`` (its value
        equals loss_rank + loss_sort) and the diagnostics ``bbox_weight``
        (lambda), ``grad_balance`` and ``num_pos``.
    """
    return rank_sort_losses_and_weights(head, batch).losses


class RankSortBatchResult(NamedTuple):
    """Rank & Sort Loss of one batch with what a loss balanced by it needs
    (RS-Mask R-CNN's mask loss, :class:`~alrp_mmdet.models.RankSortRoIHead`).

    Attributes:
        losses: the loss dict of :func:`rank_sort_batch_losses`.
        rs_value: loss_rank + loss_sort, detached.
        pos_weights: the box weight w_i of every positive row, in the order
            of ``batch.pos_rows`` (:func:`box_weights`).
    """
    losses: dict
    rs_value: Tensor
    pos_weights: Tensor


def rank_sort_losses_and_weights(head: RankSortObjective,
                                 batch: RankingBatch) -> RankSortBatchResult:
    """:func:`rank_sort_batch_losses` as a :class:`RankSortBatchResult`."""
    output = rank_and_sort(head, batch, 'rank_sort_batch_losses')
    preds = batch.pos_preds.float()
    pos_weights = box_weights(batch.logits[batch.pos_rows])
    if len(preds) == 0:
        box_loss = preds.sum() * 0
    else:
        box_loss = weighted_mean(
            loc_loss_of(head)(preds, batch.pos_targets.float()), pos_weights)
    rs_value = sum(output.losses.values())
    balance = value_balance(rs_value, box_loss)
    return RankSortBatchResult(
        losses=output.to_dict(
            loss_bbox=box_loss * balance,
            bbox_weight=box_loss.new_tensor(balance, dtype=torch.float32)),
        rs_value=rs_value.detach(),
        pos_weights=pos_weights)
