from types import SimpleNamespace

import pytest
import torch

from alrp_mmdet.models.ranking_heads import (check_gt_labels, fovea_decode,
                                             positive_rows)
from alrp_mmdet.models.utils import flatten_levels, images_then_levels
from ..head_inputs import gt, image_major, metas
from ..test_dense_heads import test_alrp_retina_head as retina


def test_positive_rows_are_the_rows_of_a_class():
    labels = torch.tensor([3, 0, 2, 3, 1, -1])
    assert positive_rows(labels, 3).tolist() == [1, 2, 4]


def test_flatten_levels_is_image_major_then_level_location_anchor():
    gen = torch.Generator().manual_seed(0)
    levels = [torch.randn(2, 3 * 4, h, h, generator=gen) for h in (4, 2)]
    rows = flatten_levels(levels, 4)
    assert torch.equal(rows, image_major(levels, 4))
    # row 0 of image 1 follows all 16 + 4 locations x 3 anchors of image 0
    assert torch.equal(rows[60], levels[0][1, :4, 0, 0])


def test_images_then_levels_matches_flatten_levels():
    per_level = [torch.arange(2 * n).reshape(2, n) for n in (5, 3)]
    assert images_then_levels(per_level).tolist() == [
        0, 1, 2, 3, 4, 0, 1, 2, 5, 6, 7, 8, 9, 3, 4, 5]


def test_check_gt_labels_names_label_range_and_key():
    head = SimpleNamespace(num_classes=3,
                           num_classes_key='model.bbox_head.num_classes')
    check_gt_labels(head, [torch.tensor([0, 2]), torch.tensor([])])
    with pytest.raises(ValueError, match=r'label 3 is outside \[0, 3\).*'
                       r'model\.bbox_head\.num_classes'):
        check_gt_labels(head, [torch.tensor([0, 3])])
    with pytest.raises(ValueError, match=r'label -1 is outside'):
        check_gt_labels(head, [torch.tensor([-1])])


def test_fovea_decode_spans_base_len_times_exp_around_the_point():
    boxes = fovea_decode(torch.tensor([[10., 20.]]), torch.tensor([4.]),
                         torch.log(torch.tensor([[1., 2., 3., 0.5]])))
    assert boxes.tolist() == [[6., 12., 22., 22.]]


def test_atss_assignment_keeps_anchor_heads_get_targets_contract():
    head = retina.build_head('ALRPATSSHead')
    sizes = [f.shape[-2:] for f in retina.features(2)]
    anchors, flags = head.get_anchors(sizes, metas(2), device='cpu')
    targets = head.get_targets(anchors, flags, [gt(), gt(1)], metas(2))
    labels, label_weights, bbox_targets, bbox_weights, avg_factor = targets
    assert len(labels) == len(sizes)  # per level, as AnchorHead's
    assert labels[0].shape[0] == 2
    assert avg_factor == int(sum((lab < 3).sum() for lab in labels))
