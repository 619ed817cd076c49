"""The host changes: one class per mmdet class, refused on the wrong host,
mmdet's target contracts kept."""
import pytest
import torch

from alrp_mmdet.models.ranking_heads import (with_atss_assignment,
                                             with_sigmoid_classifier,
                                             without_centerness,
                                             without_quality_branch)
from mmdet.models.dense_heads import (ATSSHead, FCOSHead, NASFCOSHead, PAAHead,
                                      RetinaHead)
from mmdet.models.roi_heads.bbox_heads import Shared2FCBBoxHead
from ..head_inputs import gt, metas
from ..builders import fcos, rank_sort, retina


@pytest.mark.parametrize('change, host, name', [
    (without_centerness, FCOSHead, 'FCOSHeadWithoutCenterness'),
    (without_centerness, NASFCOSHead, 'NASFCOSHeadWithoutCenterness'),
    (without_quality_branch, ATSSHead, 'ATSSHeadWithoutQualityBranch'),
    (without_quality_branch, PAAHead, 'PAAHeadWithoutQualityBranch'),
    (with_atss_assignment, RetinaHead, 'RetinaHeadWithATSSAssignment'),
    (with_sigmoid_classifier, Shared2FCBBoxHead,
     'Shared2FCBBoxHeadWithSigmoidClassifier'),
])
def test_a_changed_host_is_one_named_subclass_per_mmdet_class(
        change, host, name):
    changed = change(host)
    assert changed is change(host)
    assert changed.__name__ == name and issubclass(changed, host)


@pytest.mark.parametrize('change, host, match', [
    (without_centerness, RetinaHead, 'without_centerness changes a '
     'subclass of FCOSHead, got'),
    (without_quality_branch, FCOSHead, 'subclass of ATSSHead'),
    (with_atss_assignment, ATSSHead, r'AnchorHead \(not ATSSHead\)'),
    (with_atss_assignment, FCOSHead, 'subclass of AnchorHead'),
    (with_sigmoid_classifier, RetinaHead, 'subclass of BBoxHead'),
    (without_centerness, 'FCOSHead', 'subclass of FCOSHead'),
])
def test_a_change_refuses_a_host_it_does_not_fit(change, host, match):
    with pytest.raises(TypeError, match=match):
        change(host)


@pytest.mark.parametrize('head_type', ['ALRPFCOSHead', 'RankSortATSSHead',
                                       'RankSortPAAHead'])
def test_a_head_without_its_quality_branch_has_no_quality_weights(
        head_type):
    # the objective (first base) checks the loss; the host drops the branch
    build = dict(ALRPFCOSHead=lambda: fcos.build_head('ALRPFCOSHead'),
                 RankSortATSSHead=rank_sort.build_atss,
                 RankSortPAAHead=rank_sort.build_paa)[head_type]
    head = build()
    assert not [name for name, _ in head.named_parameters()
                if 'centerness' in name or 'iou' in name]
    features = (fcos if head_type == 'ALRPFCOSHead' else retina).features(1)
    assert len(head(features)) == 2


def test_the_objective_base_checks_the_loss_before_the_host_is_used():
    with pytest.raises(TypeError, match=r"RankSortATSSHead needs loss_cls="
                       r"dict\(type='RankSortLoss'\), got FocalLoss"):
        rank_sort.build_atss(loss_cls=dict(type='FocalLoss'))


def test_atss_on_retinanet_keeps_anchor_heads_five_outputs():
    # ALRPATSSHead is a RetinaHead: mmdet code calling its get_targets
    # expects AnchorHead's five outputs; they are ATSSHead's minus anchors
    head = retina.build_head('ALRPATSSHead')
    atss = retina.build_head('RankSortATSSHead', norm_cfg=None)
    assert isinstance(head, RetinaHead) and not isinstance(head, ATSSHead)
    sizes = [feature.shape[-2:] for feature in retina.features(2)]
    gts, img_metas = [gt(), gt(1, shift=8.0)], metas(2)

    def targets(of):
        anchors, valid = of.get_anchors(sizes, img_metas, device='cpu')
        return of.get_targets(anchors, valid, gts, img_metas)

    ours, theirs = targets(head), targets(atss)
    assert len(ours) == 5 and len(theirs) == 6
    for mine, reference in zip(ours[:4], theirs[1:5]):
        assert all(torch.equal(a, b) for a, b in zip(mine, reference))
    assert ours[4] == theirs[5]


def test_atss_assignment_keeps_anchor_heads_get_targets_contract():
    head = retina.build_head('ALRPATSSHead')
    sizes = [f.shape[-2:] for f in retina.features(2)]
    anchors, flags = head.get_anchors(sizes, metas(2), device='cpu')
    targets = head.get_targets(anchors, flags, [gt(), gt(1)], metas(2))
    labels, label_weights, bbox_targets, bbox_weights, avg_factor = targets
    assert len(labels) == len(sizes)  # per level, as AnchorHead's
    assert labels[0].shape[0] == 2
    assert avg_factor == int(sum((lab < 3).sum() for lab in labels))
