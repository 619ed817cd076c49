"""The ground-truth check: labels in [0, num_classes), boxes finite and of
positive width and height, each refusal naming the config key or the image
and the box."""
from types import SimpleNamespace

import pytest
import torch

from alrp_mmdet.models.ranking_heads import (check_ground_truth,
                                             check_gt_boxes, check_gt_labels)
from ..builders import roi
from ..head_inputs import gt


def test_check_gt_labels_names_label_range_and_key():
    head = SimpleNamespace(num_classes=3,
                           num_classes_key='model.bbox_head.num_classes')
    check_gt_labels(head, [torch.tensor([0, 2]), torch.tensor([])])
    with pytest.raises(ValueError, match=r'label 3 is outside \[0, 3\).*'
                       r'model\.bbox_head\.num_classes'):
        check_gt_labels(head, [torch.tensor([0, 3])])
    with pytest.raises(ValueError, match=r'label -1 is outside'):
        check_gt_labels(head, [torch.tensor([-1])])


def test_a_dense_head_without_a_key_is_pointed_to_the_dense_key():
    with pytest.raises(ValueError, match=r'Set model\.bbox_head\.'
                       r'num_classes to the number of classes'):
        check_gt_labels(SimpleNamespace(num_classes=2), [torch.tensor([2])])


@pytest.mark.parametrize('box, what', [
    ([10.0, 10.0, float('nan'), 50.0], 'non-finite'),
    ([10.0, 10.0, float('inf'), 50.0], 'non-finite'),
    ([50.0, 10.0, 10.0, 50.0], 'inverted'),
    ([10.0, 10.0, 10.0, 50.0], 'of zero width or height'),
    ([10.0, 20.0, 50.0, 20.0], 'of zero width or height'),
])
def test_each_broken_box_is_named_with_its_image_path(box, what):
    boxes = torch.tensor([[0.0, 0.0, 5.0, 5.0], box, box])
    metas = [dict(img_path='a.jpg'), dict(img_path='b.jpg')]
    with pytest.raises(ValueError, match=rf'ground-truth box 1 of image 1 '
                       rf'of the batch \(b\.jpg\) is {what}: .* 2 such '
                       r'box\(es\) in that image'):
        check_gt_boxes(SimpleNamespace(), [boxes[:1], boxes], metas)


def test_check_ground_truth_checks_labels_and_boxes_of_every_image():
    head = SimpleNamespace(num_classes=3)
    check_ground_truth(head, [gt(), gt(1)], [{}, {}])
    with pytest.raises(ValueError, match='label 3 is outside'):
        check_ground_truth(head, [gt(), gt(3)], [{}, {}])


def test_the_roi_heads_check_the_gt_boxes_of_their_positives():
    # (their RPN sees every gt box; the RoI head sees its positives' boxes)
    head = roi.build_head()
    positives = torch.tensor([[10.0, 10.0, 50.0, 50.0],
                              [60.0, 60.0, 60.0, 90.0]])
    with pytest.raises(ValueError, match=r'ALRPShared2FCBBoxHead: ground-'
                       r'truth box 1 of image 0 of the batch is of zero '
                       r'width or height: \[60.0, 60.0, 60.0, 90.0\]'):
        check_gt_boxes(head, [positives])
    check_gt_boxes(head, [positives[:1], torch.empty(0, 4)])
