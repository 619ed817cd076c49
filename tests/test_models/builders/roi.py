"""RoI box heads of the tests: RoIs sampled around two gt boxes."""
import torch
from mmengine import Config
from mmengine.structures import InstanceData

from mmdet.registry import MODELS, TASK_UTILS
from mmdet.structures.bbox import bbox2roi


RCNN_TRAIN_CFG = Config(dict(
    assigner=dict(type='MaxIoUAssigner', pos_iou_thr=0.5, neg_iou_thr=0.5,
                  min_pos_iou=0.5, match_low_quality=False,
                  ignore_iof_thr=-1),
    sampler=dict(type='PseudoSampler'), pos_weight=-1, debug=False))
META = dict(img_shape=(256, 256), scale_factor=(1.0, 1.0))


def build_head(num_classes=3, **kwargs):
    cfg = dict(type='ALRPShared2FCBBoxHead', in_channels=1,
               fc_out_channels=8, roi_feat_size=7, num_classes=num_classes,
               loss_cls=dict(type='ALRPLoss', use_sigmoid=True),
               loss_bbox=dict(type='GIoULoss', reduction='none'))
    cfg.update(kwargs)
    torch.manual_seed(0)
    head = MODELS.build(cfg)
    head.init_weights()
    return head


def proposals(gt_instances, seed):
    """Jittered copies of the gt boxes (mostly positives) and random boxes
    (mostly negatives), as an RPN would give."""
    gen = torch.Generator().manual_seed(seed)
    jittered = (gt_instances.bboxes.repeat(4, 1) +
                torch.randn(4 * len(gt_instances), 4, generator=gen) * 6)
    xy = torch.rand(12, 2, generator=gen) * 180
    random_boxes = torch.cat(
        [xy, xy + 10 + torch.rand(12, 2, generator=gen) * 60], 1)
    return torch.cat([jittered, random_boxes])


def batch_of(head, gts):
    assigner = TASK_UTILS.build(RCNN_TRAIN_CFG.assigner)
    sampler = TASK_UTILS.build(RCNN_TRAIN_CFG.sampler)
    results = []
    for seed, gt_instances in enumerate(gts):
        priors = InstanceData(priors=proposals(gt_instances, seed))
        assign_result = assigner.assign(priors, gt_instances)
        results.append(sampler.sample(assign_result, priors, gt_instances))
    rois = bbox2roi([res.priors for res in results])
    feats = torch.rand(len(rois), 1, 7, 7,
                       generator=torch.Generator().manual_seed(5))
    cls_score, bbox_pred = head(feats)
    return cls_score, bbox_pred, rois, results


def losses_of(head, gts):
    cls_score, bbox_pred, rois, results = batch_of(head, gts)
    return head.loss_and_target(cls_score, bbox_pred, rois, results,
                                RCNN_TRAIN_CFG)['loss_bbox']
