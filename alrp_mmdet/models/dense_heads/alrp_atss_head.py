"""aLRP RetinaNet head trained with the ATSS assigner ("GIoU + ATSS")."""
from mmdet.models.dense_heads import ATSSHead
from mmdet.registry import MODELS
from mmdet.structures.bbox import get_box_tensor
from .alrp_retina_head import ALRPRetinaHead, images_then_levels


@MODELS.register_module()
class ALRPATSSHead(ALRPRetinaHead):
    """:class:`ALRPRetinaHead` whose targets come from ATSS (paper Table 2,
    "aLRP Loss (GIoU + ATSS)"): the same RetinaNet branches, no centerness
    branch; ``train_cfg.assigner`` should be an ``ATSSAssigner``.
    ATSS needs per-level anchor counts, so target assignment reuses
    mmdet's ATSSHead methods.
    """
    get_targets = ATSSHead.get_targets
    _get_targets_single = ATSSHead._get_targets_single
    get_num_level_anchors_inside = ATSSHead.get_num_level_anchors_inside

    def batch_targets(self, anchor_list, valid_flag_list, batch_gt_instances,
                      batch_img_metas, batch_gt_instances_ignore):
        anchors, labels, label_weights, bbox_targets, _, _ = self.get_targets(
            anchor_list, valid_flag_list, batch_gt_instances,
            batch_img_metas, batch_gt_instances_ignore)
        return (images_then_levels([get_box_tensor(a) for a in anchors]),
                images_then_levels(labels), images_then_levels(label_weights),
                images_then_levels(bbox_targets))
