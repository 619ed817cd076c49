"""RetinaNet head trained with aLRP Loss (paper Sec. 5, Table 2 and 6)."""
from typing import List, Tuple

import torch
from torch import Tensor

from mmdet.models.dense_heads import RetinaHead
from mmdet.models.losses import GIoULoss, IoULoss
from mmdet.registry import MODELS
from mmdet.structures.bbox import cat_boxes, get_box_tensor
from mmdet.utils import InstanceList, OptInstanceList
from ..losses import ALRPLoss, normalise_loc_errors

#: range of each supported IoU-based loss, used to normalise E_loc
LOC_LOSS_RANGES = {GIoULoss: 2.0, IoULoss: 1.0}


def flatten_levels(mlvl_tensors: List[Tensor], channels: int) -> Tensor:
    """(N, A*channels, H, W) per level -> (N * sum_l H*W*A, channels),
    image-major, then level, then location, then anchor."""
    num_imgs = mlvl_tensors[0].size(0)
    return torch.cat([
        t.permute(0, 2, 3, 1).reshape(num_imgs, -1, channels)
        for t in mlvl_tensors
    ], dim=1).reshape(-1, channels)


def positive_rows(labels: Tensor, num_classes: int) -> Tensor:
    """Indices of the rows labelled with a class (background is
    ``num_classes`` in mmdet 3.x), in ascending order."""
    return torch.nonzero((labels >= 0) & (labels < num_classes)).squeeze(1)


class ALRPHeadMixin:
    """Feeds a dense head's whole batch to its :class:`ALRPLoss`.

    The host head's ``loss_cls`` must be an ``ALRPLoss`` and its
    ``loss_bbox`` a ``GIoULoss`` or linear ``IoULoss`` with
    ``reduction='none'``.
    """

    def _check_alrp_losses(self, tau: float) -> None:
        if not isinstance(self.loss_cls, ALRPLoss):
            raise TypeError(f'{type(self).__name__} needs loss_cls='
                            "dict(type='ALRPLoss'), got "
                            f'{type(self.loss_cls).__name__}')
        if self.cls_out_channels != self.num_classes:
            raise ValueError(
                f'{type(self).__name__}: the classifier has '
                f'{self.cls_out_channels} outputs for {self.num_classes} '
                "classes; set use_sigmoid=True in loss_cls")
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
        num_rows, num_classes = logits.shape
        if labels.shape != (num_rows, ):
            raise ValueError(f'labels shape {tuple(labels.shape)} does not '
                             f'match the {num_rows} rows of the logits')
        one_vs_all = logits.new_zeros((num_rows, num_classes),
                                      dtype=torch.long)
        one_vs_all[pos_rows, labels[pos_rows]] = 1
        one_vs_all[label_weights <= 0] = -1
        if len(pred_boxes) == 0:
            # mmdet's overlaps of zero boxes are a new tensor without graph;
            # keep the regression branch in the graph so DDP sees its grads
            iou_losses = pred_boxes.float().sum(dim=1)
        else:
            iou_losses = self.loss_bbox(pred_boxes.float(), gt_boxes.float())
        loc_errors = normalise_loc_errors(iou_losses, self.loc_loss_range,
                                          self.tau)
        loss_cls, loss_loc, stats = self.loss_cls(logits.reshape(-1),
                                                  one_vs_all.reshape(-1),
                                                  loc_errors)
        sb_weight = self.loss_cls.sb_weight
        return dict(
            loss_cls=loss_cls,
            loss_bbox=sb_weight.to(loss_loc.dtype) * loss_loc,
            sb_weight=sb_weight.float().detach().clone(),
            grad_balance=loss_cls.new_tensor(stats.grad_balance),
            num_pos=loss_cls.new_tensor(float(stats.num_pos)),
            empty_batches=self.loss_cls.num_empty_batches.float().clone())


@MODELS.register_module()
class ALRPRetinaHead(ALRPHeadMixin, RetinaHead):
    """RetinaHead whose whole batch (every anchor x class logit of every
    image and level) is ranked by one aLRP Loss call.

    Only ``loss_by_feat`` changes; anchors, assigner, sampler, coder and
    inference are mmdet's. Positive boxes are decoded with the configured
    coder and compared with their gt by the configured IoU-based loss.

    Args:
        tau: IoU threshold of LRP's localisation error (Eq. 6).
        loss_cls: must be ``ALRPLoss``.
        loss_bbox: ``GIoULoss`` (or linear ``IoULoss``), reduction 'none'.
    """

    def __init__(self,
                 *args,
                 tau: float = 0.5,
                 loss_cls: dict = dict(type='ALRPLoss', use_sigmoid=True),
                 loss_bbox: dict = dict(type='GIoULoss', reduction='none'),
                 reg_decoded_bbox: bool = True,
                 **kwargs) -> None:
        if not reg_decoded_bbox:
            raise ValueError('aLRP heads compare decoded boxes: '
                             'reg_decoded_bbox must be True')
        super().__init__(*args, loss_cls=loss_cls, loss_bbox=loss_bbox,
                         reg_decoded_bbox=True, **kwargs)
        self._check_alrp_losses(tau)

    def batch_targets(self, anchor_list, valid_flag_list, batch_gt_instances,
                      batch_img_metas, batch_gt_instances_ignore
                      ) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """Anchors, labels, label weights and gt boxes of the whole batch,
        flattened image-major like :func:`flatten_levels`."""
        labels, label_weights, bbox_targets, _, _ = self.get_targets(
            anchor_list, valid_flag_list, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore)
        anchors = torch.stack([cat_boxes(a) for a in anchor_list])
        return (get_box_tensor(anchors).reshape(-1, 4),
                torch.cat(labels, 1).reshape(-1),
                torch.cat(label_weights, 1).reshape(-1),
                torch.cat(bbox_targets, 1).reshape(-1, 4))

    def loss_by_feat(self,
                     cls_scores: List[Tensor],
                     bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_gt_instances_ignore: OptInstanceList = None
                     ) -> dict:
        """aLRP loss of the batch; see :meth:`ALRPHeadMixin.alrp_losses`."""
        featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
        anchor_list, valid_flag_list = self.get_anchors(
            featmap_sizes, batch_img_metas, device=cls_scores[0].device)
        anchors, labels, label_weights, gt_boxes = self.batch_targets(
            anchor_list, valid_flag_list, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore)
        logits = flatten_levels(cls_scores, self.cls_out_channels)
        deltas = flatten_levels(bbox_preds, self.bbox_coder.encode_size)
        pos_rows = positive_rows(labels, self.num_classes)
        pred_boxes = get_box_tensor(
            self.bbox_coder.decode(anchors[pos_rows], deltas[pos_rows]))
        return self.alrp_losses(logits, labels, label_weights, pos_rows,
                                pred_boxes, gt_boxes[pos_rows])
