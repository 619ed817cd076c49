"""FCOS heads of the tests."""
from .. import head_inputs
from ..rebuilt_losses import ranking_losses


STRIDES = [8, 16, 32, 64, 128]


def build_head(head_type, num_classes=3, **kwargs):
    cfg = dict(type=head_type, num_classes=num_classes, in_channels=1,
               feat_channels=4, stacked_convs=1, strides=STRIDES,
               norm_cfg=dict(type='GN', num_groups=2, requires_grad=True),
               **ranking_losses(head_type))
    return head_inputs.seeded_build(cfg, **kwargs)


def features(num_imgs):
    return head_inputs.features(num_imgs, STRIDES)
