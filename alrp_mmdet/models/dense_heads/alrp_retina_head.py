"""RetinaNet head trained with aLRP Loss (paper Sec. 5, Table 2 and 6)."""
from typing import List, Tuple

import torch
from torch import Tensor

from mmdet.models.dense_heads import RetinaHead
from mmdet.registry import MODELS
from mmdet.structures.bbox import cat_boxes, get_box_tensor
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import ALRPHeadMixin, positive_rows


def flatten_levels(mlvl_tensors: List[Tensor], channels: int) -> Tensor:
    """(N, A*channels, H, W) per level -> (N * sum_l H*W*A, channels),
    image-major, then level, then location, then anchor."""
    num_imgs = mlvl_tensors[0].size(0)
    return torch.cat([
        t.permute(0, 2, 3, 1).reshape(num_imgs, -1, channels)
        for t in mlvl_tensors
    ], dim=1).reshape(-1, channels)


def images_then_levels(per_level: List[Tensor]) -> Tensor:
    """Per-level (N, n_level, ...) targets -> (N * sum n_level, ...) rows,
    image-major like :func:`flatten_levels`."""
    return torch.cat(per_level, 1).reshape(-1, *per_level[0].shape[2:])


def anchor_batch_targets(head, anchor_list, valid_flag_list,
                         batch_gt_instances, batch_img_metas,
                         batch_gt_instances_ignore
                         ) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
    """Anchors, labels, label weights and bbox targets of an AnchorHead's
    whole batch, flattened image-major like :func:`flatten_levels`."""
    labels, label_weights, bbox_targets, _, _ = head.get_targets(
        anchor_list, valid_flag_list, batch_gt_instances, batch_img_metas,
        batch_gt_instances_ignore)
    anchors = torch.stack([cat_boxes(a) for a in anchor_list])
    return (get_box_tensor(anchors).reshape(-1, 4),
            images_then_levels(labels), images_then_levels(label_weights),
            images_then_levels(bbox_targets))


def anchor_batch(head, cls_scores: List[Tensor], bbox_preds: List[Tensor],
                 batch_gt_instances: InstanceList, batch_img_metas: List[dict],
                 batch_gt_instances_ignore: OptInstanceList
                 ) -> Tuple[Tensor, ...]:
    """The whole batch of an anchor head that has a ``batch_targets``
    method, flattened like :func:`flatten_levels`.

    Returns:
        ``(anchors, labels, label_weights, bbox_targets, logits, deltas,
        pos_rows)``.
    """
    featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
    anchor_list, valid_flag_list = head.get_anchors(
        featmap_sizes, batch_img_metas, device=cls_scores[0].device)
    anchors, labels, label_weights, bbox_targets = head.batch_targets(
        anchor_list, valid_flag_list, batch_gt_instances, batch_img_metas,
        batch_gt_instances_ignore)
    logits = flatten_levels(cls_scores, head.cls_out_channels)
    deltas = flatten_levels(bbox_preds, head.bbox_coder.encode_size)
    return (anchors, labels, label_weights, bbox_targets, logits, deltas,
            positive_rows(labels, head.num_classes))


class ALRPAnchorHeadMixin(ALRPHeadMixin):
    """aLRP training of an mmdet anchor head: only ``loss_by_feat``
    changes; anchors, assigner, sampler, coder and inference are mmdet's.
    Positive boxes are decoded with the configured coder and compared with
    their gt by the configured IoU-based loss. Arguments: see
    :class:`~alrp_mmdet.models.utils.ALRPHeadMixin`.
    """

    def __init__(self, *args, reg_decoded_bbox: bool = True,
                 **kwargs) -> None:
        super().__init__(*args, reg_decoded_bbox=reg_decoded_bbox, **kwargs)

    def batch_targets(self, *args) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
        """See :func:`anchor_batch_targets`."""
        return anchor_batch_targets(self, *args)

    def loss_by_feat(self,
                     cls_scores: List[Tensor],
                     bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_gt_instances_ignore: OptInstanceList = None
                     ) -> dict:
        """aLRP loss of the batch; see :meth:`ALRPHeadMixin.alrp_losses`."""
        (anchors, labels, label_weights, gt_boxes, logits, deltas,
         pos_rows) = anchor_batch(self, cls_scores, bbox_preds,
                                  batch_gt_instances, batch_img_metas,
                                  batch_gt_instances_ignore)
        pred_boxes = get_box_tensor(
            self.bbox_coder.decode(anchors[pos_rows], deltas[pos_rows]))
        return self.alrp_losses(logits, labels, label_weights, pos_rows,
                                pred_boxes, gt_boxes[pos_rows])


@MODELS.register_module()
class ALRPRetinaHead(ALRPAnchorHeadMixin, RetinaHead):
    """RetinaHead whose whole batch (every anchor x class logit of every
    image and level) is ranked by one aLRP Loss call; see
    :class:`ALRPAnchorHeadMixin` for the arguments."""
