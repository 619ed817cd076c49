"""The ground-truth check of every ranking head: labels in
``[0, num_classes)``, finite boxes of positive width and height; a bad one
is refused naming the config key, the image and the box."""
from typing import List, Optional

import torch
from torch import Tensor

from mmdet.structures.bbox import get_box_tensor
from mmdet.utils import InstanceList


#: the config entry of a dense head's num_classes, for error messages
DENSE_NUM_CLASSES_KEY = 'model.bbox_head.num_classes'


def check_gt_labels(head, labels: List[Tensor]) -> None:
    """Raise if a ground-truth label is outside [0, head.num_classes).

    mmdet labels background ``num_classes``, so a gt of class
    ``num_classes`` would silently become a negative. The message names
    the config entry to fix: the head's ``num_classes_key`` (a RoI head's
    host sets it), else a dense head's.
    """
    labels = [lab for lab in labels if lab.numel()]
    if not labels:
        return
    # one read for the whole batch (each read stalls a GPU stream)
    low, high = (int(value) for value in torch.stack(
        torch.aminmax(torch.cat(labels))).tolist())
    if low < 0 or high >= head.num_classes:
        raise ValueError(
            f'{type(head).__name__}: ground-truth label '
            f'{high if high >= head.num_classes else low} is outside [0, '
            f'{head.num_classes}): the dataset has more classes than '
            f'{head.num_classes}, the num_classes of the head. Set '
            f'{getattr(head, "num_classes_key", DENSE_NUM_CLASSES_KEY)} to '
            'the number of classes in the '
            "dataset's metainfo")


def check_gt_boxes(head, boxes: List[Tensor],
                   img_metas: Optional[List[dict]] = None) -> None:
    """Raise if a ground-truth box is non-finite, inverted or of zero
    width or height, naming the image and the box.

    Such boxes are refused rather than dropped: they are broken data, not a
    matter of taste (COCO's loader already drops boxes under 1 pixel), and
    each does silent harm: a NaN box matches nothing and shifts the
    assignment of its neighbours, a zero-area box can make every anchor
    positive (MaxIoU with min_pos_iou 0), an inverted one trains on
    infinite or NaN localisation errors. A pipeline that makes them can
    drop them with mmdet's ``FilterAnnotations``.
    """
    boxes = [get_box_tensor(img_boxes).detach() for img_boxes in boxes]
    if not any(img_boxes.numel() for img_boxes in boxes):
        return
    # one read for the whole batch; the images are searched only on error
    if not _broken_boxes(torch.cat(boxes)).any():
        return
    for index, img_boxes in enumerate(boxes):
        if img_boxes.numel() == 0:
            continue
        finite = torch.isfinite(img_boxes).all(1)
        width = img_boxes[:, 2] - img_boxes[:, 0]
        height = img_boxes[:, 3] - img_boxes[:, 1]
        bad = _broken_boxes(img_boxes)
        if not bad.any():
            continue
        box = int(torch.nonzero(bad)[0])
        what = ('non-finite' if not finite[box] else
                'inverted' if min(width[box], height[box]) < 0 else
                'of zero width or height')
        meta = img_metas[index] if img_metas else {}
        image = meta.get('img_path') or meta.get('img_id')
        image = f'image {index} of the batch' + (f' ({image})'
                                                 if image else '')
        raise ValueError(
            f'{type(head).__name__}: ground-truth box {box} of {image} is '
            f'{what}: {img_boxes[box].tolist()} (x1, y1, x2, y2); '
            f'{int(bad.sum())} such box(es) in that image. Fix the '
            "annotations, or drop such boxes with dict(type='"
            "FilterAnnotations', min_gt_bbox_wh=(1, 1)) in the pipeline")


def _broken_boxes(boxes: Tensor) -> Tensor:
    """(n, ) whether each (x1, y1, x2, y2) box is non-finite or has no
    positive width or height."""
    return ~torch.isfinite(boxes).all(1) | (boxes[:, 2] <= boxes[:, 0]) | (
        boxes[:, 3] <= boxes[:, 1])


def check_ground_truth(head, batch_gt_instances: InstanceList,
                       batch_img_metas: List[dict]) -> None:
    """:func:`check_gt_labels` and :func:`check_gt_boxes` of a batch, with
    one read of the whole batch's label range and broken-box flag (each
    read stalls a GPU stream); the images are searched only on error."""
    labels = torch.cat([gt.labels for gt in batch_gt_instances])
    boxes = [get_box_tensor(gt.bboxes).detach() for gt in batch_gt_instances]
    if labels.numel() == 0:
        return
    low, high, broken = torch.stack([
        *(bound.double() for bound in torch.aminmax(labels)),
        _broken_boxes(torch.cat(boxes)).any().double()
    ]).tolist()
    if low < 0 or high >= head.num_classes:
        check_gt_labels(head, [gt.labels for gt in batch_gt_instances])
    if broken:
        check_gt_boxes(head, boxes, batch_img_metas)
