import pytest
import torch
from mmengine import Config

from alrp_mmdet.models.losses import rank_sort_loss
from ..head_inputs import gt
from ..builders import roi as alrp_roi
from ..builders.rank_sort import iou


def build_head(**kwargs):
    return alrp_roi.build_head(**dict(
        dict(type='RankSortShared2FCBBoxHead',
             loss_cls=dict(type='RankSortLoss')), **kwargs))


def test_rois_of_the_batch_are_ranked_and_sorted_by_iou():
    head = build_head()
    assert head.fc_cls.out_features == 3  # no background logit
    gts = [gt(), gt(1, shift=8.0)]
    cls_score, bbox_pred, rois, results = alrp_roi.batch_of(head, gts)
    losses = head.loss_and_target(cls_score, bbox_pred, rois, results,
                                  alrp_roi.RCNN_TRAIN_CFG)['loss_bbox']
    labels = torch.cat([
        torch.cat([res.pos_gt_labels,
                   res.pos_gt_labels.new_full((len(res.neg_inds), ), 3)])
        for res in results
    ])
    gt_boxes = torch.cat([res.pos_gt_bboxes for res in results])
    pos = torch.nonzero(labels < 3).squeeze(1)
    ranking_labels = torch.zeros_like(cls_score, dtype=torch.long)
    ranking_labels[pos, labels[pos]] = 1
    deltas = bbox_pred.view(len(rois), 3, 4)[pos, labels[pos]]
    boxes = head.bbox_coder.decode(rois[pos, 1:], deltas).detach()
    loss_rank, loss_sort = rank_sort_loss(cls_score.reshape(-1),
                                          ranking_labels.reshape(-1),
                                          iou(boxes, gt_boxes))
    assert losses['loss_rank'].item() == pytest.approx(loss_rank.item(),
                                                       rel=1e-5)
    assert losses['loss_sort'].item() == pytest.approx(loss_sort.item(),
                                                       rel=1e-5)
    assert losses['loss_bbox'].item() == pytest.approx(
        (loss_rank + loss_sort).item(), rel=1e-5)


def test_inference_uses_sigmoid_scores():
    head = build_head()
    head.eval()
    cls_score, bbox_pred, rois, _ = alrp_roi.batch_of(head, [gt()])
    with torch.no_grad():
        results = head.predict_by_feat(
            rois=(rois, ), cls_scores=(cls_score, ), bbox_preds=(bbox_pred, ),
            batch_img_metas=[alrp_roi.META],
            rcnn_test_cfg=Config(dict(score_thr=0.0, max_per_img=10,
                                      nms=dict(type='nms',
                                               iou_threshold=0.5))))[0]
    assert results.labels.max() < 3
    assert results.scores.max().item() == pytest.approx(
        cls_score.sigmoid().max().item(), rel=1e-6)


@pytest.mark.parametrize('bad, match', [
    (dict(loss_cls=dict(type='ALRPLoss')), 'RankSortLoss'),
    (dict(loss_bbox=dict(type='GIoULoss', reduction='none',
                         loss_weight=2.0)), 'loss_weight must be 1'),
    (dict(reg_decoded_bbox=False), 'reg_decoded_bbox'),
])
def test_bad_config_raises(bad, match):
    with pytest.raises((TypeError, ValueError), match=match):
        build_head(**bad)


def test_cascade_refinement_label_can_be_the_last_class():
    # a refinement stage labels a negative RoI with the argmax over real
    # classes; with no background logit the last column is a real class
    head = build_head()
    gts = [gt()]
    cls_score, bbox_pred, rois, results = alrp_roi.batch_of(head, gts)
    negatives = len(results[0].neg_inds)
    cls_score = cls_score.detach().clone()
    cls_score[-negatives:] = torch.tensor([-5.0, -5.0, 5.0])
    targets = head.get_targets(results, alrp_roi.RCNN_TRAIN_CFG)
    seen = []

    def regress_by_class(priors, label, bbox_pred, img_meta):
        seen.append(label)
        return priors

    head.regress_by_class = regress_by_class
    head.refine_bboxes(results, dict(rois=rois, cls_score=cls_score,
                                     bbox_pred=bbox_pred.detach(),
                                     bbox_targets=targets),
                       [dict(img_shape=(256, 256))])
    assert (seen[0][-negatives:] == 2).all()
