"""FoveaBox head trained with aLRP Loss (paper Sec. 5.4, Table 7)."""
from typing import List, Tuple

import torch
from torch import Tensor

from mmdet.models.dense_heads import FoveaHead
from mmdet.registry import MODELS
from mmdet.structures.bbox import distance2bbox
from mmdet.utils import InstanceList, OptInstanceList
from ..utils import ALRPHeadMixin, positive_rows


def fovea_batch(head: FoveaHead, cls_scores: List[Tensor],
                bbox_preds: List[Tensor], batch_gt_instances: InstanceList
                ) -> Tuple[Tensor, ...]:
    """The whole batch of a FoveaHead, flattened level-major, then image,
    then location (mmdet's target order).

    Returns:
        ``(logits, bbox_preds, labels, bbox_targets, points, base_lens,
        pos_rows)``; points and base lengths give each row its own point and
        level base edge, for decoding with :func:`fovea_decode`.
    """
    featmap_sizes = [featmap.size()[-2:] for featmap in cls_scores]
    priors = head.prior_generator.grid_priors(
        featmap_sizes, dtype=bbox_preds[0].dtype, device=bbox_preds[0].device)
    num_imgs = cls_scores[0].size(0)
    logits = torch.cat([
        s.permute(0, 2, 3, 1).reshape(-1, head.cls_out_channels)
        for s in cls_scores
    ])
    preds = torch.cat(
        [p.permute(0, 2, 3, 1).reshape(-1, 4) for p in bbox_preds])
    labels, bbox_targets = head.get_targets(batch_gt_instances,
                                            featmap_sizes, priors)
    points = torch.cat([p.repeat(num_imgs, 1) for p in priors])
    base_lens = torch.cat([
        p.new_full((num_imgs * len(p), ), base_len)
        for p, base_len in zip(priors, head.base_edge_list)
    ])
    return (logits, preds, labels, bbox_targets, points, base_lens,
            positive_rows(labels, head.num_classes))


def fovea_decode(points: Tensor, base_lens: Tensor,
                 log_distances: Tensor) -> Tensor:
    """FoveaBox boxes: the point minus/plus ``base_len * exp(t)`` to the
    left, top, right and bottom (no clamping, so gradients reach every
    side)."""
    return distance2bbox(points, base_lens[:, None] * log_distances.exp())


@MODELS.register_module()
class ALRPFoveaHead(ALRPHeadMixin, FoveaHead):
    """FoveaHead whose whole batch (every point x class logit of every image
    and level) is ranked by one aLRP Loss call.

    Branches, targets and inference are mmdet's FoveaHead. For E_loc, each
    positive's predicted and target log-distances are decoded against its
    own point and level base edge and compared by the IoU-based loss.

    Arguments: see :class:`~alrp_mmdet.models.utils.ALRPHeadMixin`.
    """

    def loss_by_feat(self,
                     cls_scores: List[Tensor],
                     bbox_preds: List[Tensor],
                     batch_gt_instances: InstanceList,
                     batch_img_metas: List[dict],
                     batch_gt_instances_ignore: OptInstanceList = None
                     ) -> dict:
        """aLRP loss of the batch; see :meth:`ALRPHeadMixin.alrp_losses`.
        Like FoveaHead, every non-positive point is a negative."""
        (logits, preds, labels, targets, points, base_lens,
         pos_rows) = fovea_batch(self, cls_scores, bbox_preds,
                                 batch_gt_instances)
        pred_boxes = fovea_decode(points[pos_rows], base_lens[pos_rows],
                                  preds[pos_rows])
        gt_boxes = fovea_decode(points[pos_rows], base_lens[pos_rows],
                                targets[pos_rows])
        return self.alrp_losses(logits, labels, torch.ones_like(labels),
                                pos_rows, pred_boxes, gt_boxes)
