"""DINO head trained with aLRP Loss (beyond the papers)."""
from mmdet.models.dense_heads import DINOHead
from mmdet.registry import MODELS
from ..ranking_heads import (DETR_BOX_LOSSES, ALRPObjective, alrp_query_losses,
                             denoising_query_batch, matched_query_batch)


@MODELS.register_module()
class ALRPDINOHead(ALRPObjective, DINOHead):
    """DINOHead with aLRP Loss in place of focal and GIoU loss: every
    decoder layer, the encoder's two-stage proposals and the denoising
    queries (ranked apart from the matching queries, as in
    :class:`RankSortDINOHead`), each one ranking of all its queries x
    classes of the batch, its E_loc from the GIoU of the matched boxes in
    image coordinates, weighted by the SB weight.

    Every ranking of an iteration calls the head's one ``ALRPLoss``, so the
    SB weight after an epoch is sum L_aLRP / sum L_loc over every layer,
    the proposals and the denoising rankings of every iteration with
    positives: the ratio the paper defines, with each ranking call counted
    as one batch (all of them share the one weight). DINO's L1 loss on the
    normalised boxes stays as configured
    (:func:`~alrp_mmdet.models.alrp_query_losses`); keys stay DINO's
    (``loss_iou`` is SB x L_loc). Train it with ``SelfBalanceHook``.

    Args:
        tau, loss_cls: as :class:`~alrp_mmdet.models.ALRPObjective`.
        loss_bbox, loss_iou: default ``DETR_BOX_LOSSES`` (DINO's L1 loss;
            the GIoU that E_loc normalises).
        Others: DINOHead's.
    """

    #: the GIoU loss gives E_loc / RS's box loss (loss_bbox is DINO's L1)
    loc_loss_name = 'loss_iou'

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **dict(DETR_BOX_LOSSES, **kwargs))

    def loss_by_feat_single(self, cls_scores, bbox_preds, batch_gt_instances,
                            batch_img_metas) -> tuple:
        """(loss_cls, loss_bbox, loss_iou) of one layer's matched queries
        (or of the encoder's proposals)."""
        return alrp_query_losses(self, matched_query_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas))

    def _loss_dn_single(self, dn_cls_scores, dn_bbox_preds,
                        batch_gt_instances, batch_img_metas,
                        dn_meta) -> tuple:
        """aLRP Loss of one layer's denoising queries, one ranking."""
        return alrp_query_losses(self, denoising_query_batch(
            self, dn_cls_scores, dn_bbox_preds, batch_gt_instances,
            batch_img_metas, dn_meta))
