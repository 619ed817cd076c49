"""FoveaBox heads of the tests."""

from .. import head_inputs


STRIDES = [8, 16, 32, 64, 128]
BASE_EDGES = [16, 32, 64, 128, 256]
LOSSES = {
    'ALRPFoveaHead': dict(
        loss_cls=dict(type='ALRPLoss', use_sigmoid=True),
        loss_bbox=dict(type='GIoULoss', reduction='none')),
    'APLossFoveaHead': dict(
        loss_cls=dict(type='APLoss', use_sigmoid=True, interpolated=True),
        loss_bbox=dict(type='SmoothL1Loss', beta=0.11)),
}


def build_head(head_type, num_classes=3, **kwargs):
    cfg = dict(type=head_type, num_classes=num_classes, in_channels=1,
               feat_channels=4, stacked_convs=1, strides=STRIDES,
               base_edge_list=BASE_EDGES,
               scale_ranges=((1, 64), (32, 128), (64, 256), (128, 512),
                             (256, 2048)),
               sigma=0.4, with_deform=False, train_cfg=dict(), **LOSSES[
                   head_type])
    return head_inputs.seeded_build(cfg, **kwargs)


def features(num_imgs):
    return head_inputs.features(num_imgs, STRIDES)


def losses_of(head, gts):
    return head_inputs.dense_losses(head, gts, STRIDES)
