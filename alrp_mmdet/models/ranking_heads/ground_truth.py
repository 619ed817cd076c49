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
    low = min(int(lab.min()) for lab in labels)
    high = max(int(lab.max()) for lab in labels)
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
    for index, img_boxes in enumerate(boxes):
        img_boxes = get_box_tensor(img_boxes).detach()
        if img_boxes.numel() == 0:
            continue
        finite = torch.isfinite(img_boxes).all(1)
        width = img_boxes[:, 2] - img_boxes[:, 0]
        height = img_boxes[:, 3] - img_boxes[:, 1]
        bad = ~finite | (width <= 0) | (height <= 0)
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


def check_ground_truth(head, batch_gt_instances: InstanceList,
                       batch_img_metas: List[dict]) -> None:
    """:func:`check_gt_labels` and :func:`check_gt_boxes` of a batch."""
    check_gt_labels(head, [gt.labels for gt in batch_gt_instances])
    check_gt_boxes(head, [gt.bboxes for gt in batch_gt_instances],
                   batch_img_metas)
