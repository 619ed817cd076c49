"""RTMDet head trained with aLRP Loss (beyond the papers)."""
from mmdet.models.dense_heads import RTMDetSepBNHead
from mmdet.registry import MODELS
from ..ranking_heads import ALRPObjective, alrp_batch_losses, rtmdet_batch


@MODELS.register_module()
class ALRPRTMDetSepBNHead(ALRPObjective, RTMDetSepBNHead):
    """RTMDetSepBNHead whose whole batch goes into one aLRP Loss call in
    place of QualityFocalLoss and the weighted GIoU loss.

    Tower, points, the dynamic soft-label assignment and inference are
    mmdet's RTMDet; :func:`~alrp_mmdet.models.rtmdet_batch` says what
    is ranked. Train it with
    :class:`~alrp_mmdet.engine.hooks.SelfBalanceHook`, which also keeps the
    SB state of RTMDet's EMA copy exact.
    """

    def loss_by_feat(self, cls_scores, bbox_preds, batch_gt_instances,
                     batch_img_metas, batch_gt_instances_ignore=None) -> dict:
        """aLRP Loss, every point x class of the batch in one ranking."""
        return alrp_batch_losses(self, rtmdet_batch(
            self, cls_scores, bbox_preds, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore))
