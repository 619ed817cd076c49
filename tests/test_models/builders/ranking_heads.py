"""Every ranking head of the tests by class name: a builder and the loss of a
batch (for the properties every head must have)."""
import torch

from ..head_inputs import gt, metas
from . import fcos, fovea, rank_sort, retina, roi, rpn, rtmdet


def dense(module, head_type=None):
    """(build, losses) of a dense head test module."""
    def build(**kwargs):
        return (module.build_head(head_type, **kwargs) if head_type
                else module.build_head(**kwargs))

    def losses(head, gts, edit=None):
        outs = head(module.features(len(gts)))
        if edit:
            outs = edit(outs)
        return head.loss_by_feat(*outs, gts, metas(len(gts)))
    return build, losses


def roi_losses(head, gts, edit=None):
    cls_score, bbox_pred, rois, results = roi.batch_of(head, gts)
    if edit:
        (cls_score, ), (bbox_pred, ) = edit(([cls_score], [bbox_pred]))
    return head.loss_and_target(cls_score, bbox_pred, rois, results,
                                roi.RCNN_TRAIN_CFG)['loss_bbox']


def rank_sort_atss(**kwargs):
    return retina.build_head('RankSortATSSHead', norm_cfg=dict(
        type='GN', num_groups=2, requires_grad=True), **kwargs)


def rank_sort_paa(**kwargs):
    return rank_sort.build_paa(**kwargs)


def rank_sort_roi(**kwargs):
    return roi.build_head(type='RankSortShared2FCBBoxHead',
                          loss_cls=dict(type='RankSortLoss'), **kwargs)


HEADS = {
    'ALRPRetinaHead': dense(retina, 'ALRPRetinaHead'),
    'RankSortATSSHead': (rank_sort_atss, dense(retina)[1]),
    'RankSortPAAHead': (rank_sort_paa, dense(retina)[1]),
    'RankSortShared2FCBBoxHead': (rank_sort_roi, roi_losses),
    'ALRPATSSHead': dense(retina, 'ALRPATSSHead'),
    'ALRPFoveaHead': dense(fovea, 'ALRPFoveaHead'),
    'ALRPFCOSHead': dense(fcos, 'ALRPFCOSHead'),
    'RankSortFCOSHead': dense(fcos, 'RankSortFCOSHead'),
    'ALRPRTMDetSepBNHead': dense(rtmdet, 'ALRPRTMDetSepBNHead'),
    'RankSortRTMDetSepBNHead': dense(rtmdet, 'RankSortRTMDetSepBNHead'),
    'APLossFoveaHead': dense(fovea, 'APLossFoveaHead'),
    'APLossRetinaHead': (retina.build_ap_loss_head, dense(retina)[1]),
    'ALRPShared2FCBBoxHead': (roi.build_head, roi_losses),
}
RPN = dense(rpn)
RS_RPN = (lambda **kwargs: rpn.build_head(
    type='RankSortRPNHead', loss_cls=dict(type='RankSortLoss'), **kwargs),
    RPN[1])
RPN_HEADS = ['ALRPRPNHead', 'RankSortRPNHead']
TWO_GTS = [gt(), gt(1, shift=8.0)]


def total(losses):
    return sum(v for k, v in losses.items() if 'loss' in k)


def head_and_losses(head_type):
    return dict(ALRPRPNHead=RPN, RankSortRPNHead=RS_RPN).get(
        head_type) or HEADS[head_type]


def entry(losses, name):
    """A loss dict entry whatever its head's prefix (the RPN's rpn_)."""
    return next(v for k, v in losses.items()
                if k == name or k == f'rpn_{name}' or
                k == name.replace('loss_', 'loss_rpn_'))


def set_nan(outs, which):
    """NaN in every level of the scores (0) or box predictions (1)."""
    outs = [list(levels) for levels in outs]
    outs[which] = [torch.full_like(o, float('nan')) for o in outs[which]]
    return outs


def set_huge(outs):
    outs = [list(level) for level in outs]
    outs[0][0] = outs[0][0] * 0 + 7e4
    return outs


#: (edit of a head's outputs, what the divergence error must say)
DIVERGED_OUTPUTS = [
    (lambda outs: set_nan(outs, 0), '[1-9][0-9]* NaN/infinite logits'),
    (lambda outs: set_nan(outs, 1), r'[1-9][0-9]* non-finite box'),
    (set_huge, r'largest finite \|logit\| 7e\+04'),
]
