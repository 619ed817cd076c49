"""RetinaHead / ATSS heads of the tests: 256x256 inputs, three anchors per
location."""
import torch
from mmengine import Config
from mmengine.structures import InstanceData

from mmdet.models.task_modules import ATSSAssigner
from .. import head_inputs


STRIDES = [8, 16, 32, 64, 128]
ASSIGNERS = {
    'ALRPRetinaHead': dict(type='MaxIoUAssigner', pos_iou_thr=0.5,
                           neg_iou_thr=0.4, min_pos_iou=0, ignore_iof_thr=-1),
    'ALRPATSSHead': dict(type='ATSSAssigner', topk=9),
}
ALRP_HEADS = sorted(ASSIGNERS)
ASSIGNERS['APLossRetinaHead'] = ASSIGNERS['ALRPRetinaHead']
ASSIGNERS['RankSortATSSHead'] = ASSIGNERS['ALRPATSSHead']


def build_head(head_type, num_classes=3, **kwargs):
    cfg = dict(
        type=head_type, num_classes=num_classes, in_channels=1,
        feat_channels=4, stacked_convs=1,
        anchor_generator=dict(type='AnchorGenerator', octave_base_scale=4,
                              scales_per_octave=2, ratios=[0.5, 1.0, 2.0],
                              strides=STRIDES),
        bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0.] * 4,
                        target_stds=[0.1, 0.1, 0.2, 0.2]),
        train_cfg=Config(dict(assigner=ASSIGNERS[head_type],
                              allowed_border=-1, pos_weight=-1,
                              debug=False)))
    return head_inputs.seeded_build(cfg, **kwargs)


def features(num_imgs):
    return head_inputs.features(num_imgs, STRIDES)


def losses_of(head, gts):
    return head_inputs.dense_losses(head, gts, STRIDES)


def rebuild_batch(head, cls_scores, bbox_preds, gts):
    """The batch image by image, straight from mmdet's prior generator,
    assigner and coder: one-vs-all labels of every anchor x class (-1 on
    anchors the assigner ignores), decoded positives and their gt boxes."""
    sizes = [s.shape[-2:] for s in cls_scores]
    per_level = head.prior_generator.grid_priors(sizes, device='cpu')
    anchors = torch.cat(per_level)
    labels, pred_boxes, gt_boxes, positives = [], [], [], []
    for img, gt_instances in enumerate(gts):
        deltas = torch.cat([p[img].permute(1, 2, 0).reshape(-1, 4)
                            for p in bbox_preds])
        priors = InstanceData(priors=anchors)
        if isinstance(head.assigner, ATSSAssigner):
            result = head.assigner.assign(priors, [len(a) for a in per_level],
                                          gt_instances)
        else:
            result = head.assigner.assign(priors, gt_instances)
        one_vs_all = torch.zeros(len(anchors), head.num_classes,
                                 dtype=torch.long)
        pos = torch.nonzero(result.gt_inds > 0).squeeze(1)
        matched = result.gt_inds[pos] - 1
        one_vs_all[pos, gt_instances.labels[matched]] = 1
        one_vs_all[result.gt_inds == -1] = -1
        labels.append(one_vs_all.reshape(-1))
        pred_boxes.append(head.bbox_coder.decode(anchors[pos], deltas[pos]))
        gt_boxes.append(gt_instances.bboxes[matched])
        positives.append(len(pos))
    logits = torch.cat([
        torch.cat([s[img].permute(1, 2, 0).reshape(-1, head.num_classes)
                   for s in cls_scores]).reshape(-1)
        for img in range(len(gts))
    ])
    return (logits, torch.cat(labels), torch.cat(pred_boxes),
            torch.cat(gt_boxes), positives)


def build_ap_loss_head(num_classes=3, **kwargs):
    """The RetinaNet test head (MaxIoU assigner) with AP Loss and Smooth L1,
    as the paper's baseline."""
    return build_head(
        'APLossRetinaHead', num_classes,
        loss_cls=dict(type='APLoss', use_sigmoid=True, interpolated=True),
        loss_bbox=dict(type='SmoothL1Loss', beta=1.0), **kwargs)
