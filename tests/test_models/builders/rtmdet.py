"""RTMDet heads of the tests."""
from .. import head_inputs
from ..rebuilt_losses import ranking_losses


STRIDES = [8, 16, 32]
TRAIN_CFG = dict(assigner=dict(type='DynamicSoftLabelAssigner', topk=13),
                 allowed_border=-1, pos_weight=-1, debug=False)


def build_head(head_type, num_classes=3, **kwargs):
    cfg = dict(type=head_type, num_classes=num_classes, in_channels=1,
               feat_channels=4, stacked_convs=1, with_objectness=False,
               anchor_generator=dict(type='MlvlPointGenerator', offset=0,
                                     strides=STRIDES),
               bbox_coder=dict(type='DistancePointBBoxCoder'),
               train_cfg=TRAIN_CFG, **ranking_losses(head_type))
    return head_inputs.seeded_build(cfg, **kwargs)


def features(num_imgs):
    return head_inputs.features(num_imgs, STRIDES)
