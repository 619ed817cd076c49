"""DINO head trained with Rank & Sort Loss (beyond the papers; as the
bucketed-losses paper trains Co-DETR)."""
from mmdet.models.dense_heads import DINOHead
from mmdet.registry import MODELS
from ..ranking_heads import (DETR_BOX_LOSSES, RankSortObjective,
                             denoising_query_batch, matched_query_batch,
                             rank_sort_query_losses)


@MODELS.register_module()
class RankSortDINOHead(RankSortObjective, DINOHead):
    """DINOHead with Rank & Sort Loss wherever DINO has focal loss: every
    decoder layer, the encoder's two-stage proposals and the denoising
    queries, each one ranking of all its queries x classes of the batch.

    The Hungarian matcher keeps its configured (focal) cost. The denoising
    queries of a layer are ranked apart from its matching queries, as
    mmdet keeps their losses apart: they answer another question
    (reconstruct a noised gt box, whose query knows the box) and would
    otherwise be easy positives outranking every matched query. DINO's L1
    and GIoU losses are each rescaled to the RS value
    (:func:`~alrp_mmdet.models.rank_sort_query_losses`); keys stay
    DINO's (``loss_cls`` is loss_rank + loss_sort).

    Args:
        loss_cls: ``RankSortLoss`` (the configs: delta 2, not the 0.5 the
            bucketed-losses paper uses for Co-DETR; ranking_dino_heads.py
            says why).
        loss_bbox, loss_iou: default ``DETR_BOX_LOSSES`` (DINO's L1 loss
            on normalised boxes; GIoU with reduction 'none' and weight 1).
        Others: DINOHead's.
    """

    #: the GIoU loss gives E_loc / RS's box loss (loss_bbox is DINO's L1)
    loc_loss_name = 'loss_iou'

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **dict(DETR_BOX_LOSSES, **kwargs))

    def loss_by_feat_single(self, cls_scores, bbox_preds, batch_gt_instances,
                            batch_img_metas) -> tuple:
        """Matched queries of one decoder layer, or the encoder's
        proposals: RS value, then L1 and GIoU rescaled to it."""
        return rank_sort_query_losses(self, matched_query_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas))

    def _loss_dn_single(self, dn_cls_scores, dn_bbox_preds,
                        batch_gt_instances, batch_img_metas,
                        dn_meta) -> tuple:
        """The denoising queries of a layer in a ranking of their own."""
        return rank_sort_query_losses(self, denoising_query_batch(
            self, dn_cls_scores, dn_bbox_preds, batch_gt_instances,
            batch_img_metas, dn_meta))
