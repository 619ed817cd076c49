"""Row layouts of a dense head's per-level outputs and targets: how mmdet
orders a batch's anchors and points (image-major for anchor heads,
level-major for point heads)."""
from typing import List

import torch
from torch import Tensor

from mmdet.structures.bbox import cat_boxes, get_box_tensor


def flatten_levels(mlvl_tensors: List[Tensor], channels: int) -> Tensor:
    """(N, A*channels, H, W) per level -> (N * sum_l H*W*A, channels),
    image-major, then level, then location, then anchor."""
    num_imgs = mlvl_tensors[0].size(0)
    return torch.cat([
        t.permute(0, 2, 3, 1).reshape(num_imgs, -1, channels)
        for t in mlvl_tensors
    ], dim=1).reshape(-1, channels)


def levels_then_images(mlvl_tensors: List[Tensor], channels: int) -> Tensor:
    """(N, channels, H, W) per level -> (sum_l N * H*W, channels), level-major,
    then image, then location: the order of the targets of mmdet's point
    heads (FCOSHead, FoveaHead)."""
    return torch.cat([
        t.permute(0, 2, 3, 1).reshape(-1, channels) for t in mlvl_tensors
    ])


def level_major_points(points: List[Tensor], num_imgs: int) -> Tensor:
    """Per-level (n_level, ...) points -> the point of every row of
    :func:`levels_then_images` (each level's points once per image)."""
    return torch.cat([p.repeat(num_imgs, 1) for p in points])


def images_then_levels(per_level: List[Tensor]) -> Tensor:
    """Per-level (N, n_level, ...) targets -> (N * sum n_level, ...) rows,
    image-major like :func:`flatten_levels`."""
    return torch.cat(per_level, 1).reshape(-1, *per_level[0].shape[2:])


def image_major_anchors(anchor_list: List[list]) -> Tensor:
    """Every anchor of the batch as (N * num_anchors, 4) rows, image-major
    like :func:`flatten_levels`."""
    return get_box_tensor(torch.cat([cat_boxes(a) for a in anchor_list]))
