"""The FCOS ranking configs are mmdet's FCOS recipe with only the loss
swapped, build, and take a training step on CPU."""
import pytest
from mmengine import Config
from mmengine.hub import get_config

from . import audit

BASELINE = 'mmdet::fcos/fcos_r50-caffe_fpn_gn-head_1x_coco.py'
#: file name -> (head, loss_cls, hooks added to mmdet's recipe)
FCOS_ROWS = {
    'alrp_fcos_r50-caffe_fpn_gn-head_1x_coco.py': dict(
        head='ALRPFCOSHead',
        loss_cls=dict(type='ALRPLoss', use_sigmoid=True, delta=1.0,
                      sb_init=50.0),
        tau=0.5, custom_hooks=[dict(type='SelfBalanceHook')]),
    'ranksort_fcos_r50-caffe_fpn_gn-head_1x_coco.py': dict(
        head='RankSortFCOSHead',
        loss_cls=dict(type='RankSortLoss', delta=0.5), custom_hooks=None),
}
#: mmdet 3.3's published box AP of the baseline recipe
BASELINE_BOX_AP = 36.6


def differences(a, b, path=''):
    """The dotted keys where two config dicts differ (mmengine's
    ``_scope_`` marks of a config loaded with get_config aside)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [key for k in sorted((set(a) | set(b)) - {'_scope_'})
                for key in differences(a.get(k), b.get(k), f'{path}.{k}')]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [key for i, (x, y) in enumerate(zip(a, b))
                for key in differences(x, y, f'{path}.{i}')]
    return [] if a == b else [path[1:]]


def test_every_config_is_audited():
    assert audit.config_files('fcos') == sorted(FCOS_ROWS)


@pytest.mark.parametrize('name', sorted(FCOS_ROWS))
def test_only_the_loss_differs_from_mmdets_recipe(name):
    ref = FCOS_ROWS[name]
    cfg = audit.load('fcos', name)
    baseline = get_config(BASELINE)
    changed = differences(Config(cfg.to_dict()).to_dict(),
                          Config(baseline.to_dict()).to_dict())
    # the head, its two losses, the plugin import and the hooks; the
    # ranking_fcos_heads.py base adds its two named head dicts
    assert changed == sorted(
        ['alrp_fcos', 'custom_imports', 'default_hooks.num_class_check',
         'model.bbox_head.loss_bbox.loss_weight',
         'model.bbox_head.loss_bbox.reduction',
         'model.bbox_head.loss_bbox.type', 'model.bbox_head.loss_cls.alpha',
         'model.bbox_head.loss_cls.delta', 'model.bbox_head.loss_cls.gamma',
         'model.bbox_head.loss_cls.loss_weight',
         'model.bbox_head.loss_cls.type', 'model.bbox_head.type', 'rs_fcos'] +
        (['custom_hooks', 'model.bbox_head.loss_cls.sb_init',
          'model.bbox_head.tau'] if ref['custom_hooks'] else
         ['model.bbox_head.loss_cls.use_sigmoid']))
    head = cfg.model.bbox_head
    assert head.type == ref['head'] and head.loss_cls == ref['loss_cls']
    assert head.loss_bbox == dict(type='GIoULoss', reduction='none')
    assert cfg.get('custom_hooks') == ref['custom_hooks']
    assert f'{BASELINE_BOX_AP} box AP' in audit.header('fcos', name)


@pytest.mark.parametrize('name', sorted(FCOS_ROWS))
def test_builds_and_steps_on_cpu(name):
    model_cfg = audit.load('fcos', name).model
    model_cfg.backbone.init_cfg = None
    audit.train_step(model_cfg, [[3, 128, 160], [3, 160, 128]], 80)
