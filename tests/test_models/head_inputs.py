"""Inputs shared by the head tests: features, image metas and ground truth
of 256x256 images."""
import torch
from mmengine.structures import InstanceData

from mmdet.registry import MODELS

SIZE = 256


def seeded_build(cfg: dict, **kwargs):
    """The module of ``cfg`` updated with ``kwargs``, its weights drawn
    from seed 0."""
    torch.manual_seed(0)
    return MODELS.build(dict(cfg, **kwargs))


def features(num_imgs, strides):
    """One random single-channel feature map per stride."""
    gen = torch.Generator().manual_seed(1)
    return [torch.rand(num_imgs, 1, SIZE // s, SIZE // s, generator=gen)
            for s in strides]


def dense_losses(head, gts, strides):
    """The losses of a dense head's outputs on :func:`features` of one
    image per gt instance set."""
    outs = head(features(len(gts), strides))
    return head.loss_by_feat(*outs, gts, metas(len(gts)))


def metas(num_imgs):
    return [dict(img_shape=(SIZE, SIZE, 3), pad_shape=(SIZE, SIZE, 3),
                 scale_factor=1)] * num_imgs


def gt(label=2, shift=0.0):
    """A large box of class ``label`` and a small one of class 0."""
    return InstanceData(
        bboxes=torch.tensor([[23.6667, 23.8757, 238.6326, 151.8874],
                             [40.0, 100.0, 90.0, 160.0]]) + shift,
        labels=torch.tensor([label, 0]))


def empty_gt():
    return InstanceData(bboxes=torch.empty((0, 4)),
                        labels=torch.LongTensor([]))


def image_major(mlvl_outputs, channels):
    """Per-level (N, A * channels, H, W) head outputs as rows of
    ``channels``: image by image, then level, location and anchor (the
    order of mmdet's anchors and per-image targets)."""
    return torch.cat([
        torch.cat([out[img].permute(1, 2, 0).reshape(-1, channels)
                   for out in mlvl_outputs])
        for img in range(len(mlvl_outputs[0]))
    ])
