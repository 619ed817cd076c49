"""The FCOS, RTMDet and DINO ranking configs are mmdet's recipes with only
the loss swapped, build, and take a training step on CPU."""
import pytest
from mmengine import Config
from mmengine.hub import get_config

from ..helpers import config_audit as audit
from ..helpers.swapped_rows import ALRP, SWAPPED_ROWS


CONFIGS = [(folder, name) for folder, rows in SWAPPED_ROWS.items()
           for name in sorted(rows)]
#: what swapping the loss may change (the ranking_*_heads.py base also adds
#: its named head dicts)
ALLOWED = ('model.bbox_head.type', 'model.bbox_head.loss_cls.',
           'model.bbox_head.loss_bbox.', 'model.bbox_head.loss_iou.',
           'model.bbox_head.tau',
           'custom_imports', 'custom_hooks', 'default_hooks.num_class_check',
           'alrp_', 'rs_')


def plain(obj):
    """A config's values without mmengine's ``_scope_`` marks (added to a
    config loaded through an ``mmdet::`` path)."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items() if k != '_scope_'}
    if isinstance(obj, (list, tuple)):
        return type(obj)(plain(v) for v in obj)
    return obj


def differences(a, b, path=''):
    """The dotted keys where two config dicts differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [key for k in sorted(set(a) | set(b))
                for key in differences(a.get(k), b.get(k), f'{path}.{k}')]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [key for i, (x, y) in enumerate(zip(a, b))
                for key in differences(x, y, f'{path}.{i}')]
    return [] if a == b else [path[1:]]


@pytest.mark.parametrize('folder', sorted(SWAPPED_ROWS))
def test_every_config_is_audited(folder):
    assert audit.config_files(folder) == sorted(SWAPPED_ROWS[folder])


@pytest.mark.parametrize('folder, name', CONFIGS)
def test_only_the_loss_differs_from_mmdets_recipe(folder, name):
    ref = SWAPPED_ROWS[folder][name]
    cfg = plain(audit.load(folder, name).to_dict())
    baseline = plain(get_config(ref['baseline']).to_dict())
    changed = differences(cfg, baseline)
    assert [key for key in changed if not key.startswith(ALLOWED)] == []
    head = cfg['model']['bbox_head']
    assert head['type'] == ref['head'] and head['loss_cls'] == ref['loss_cls']
    assert head[ref['box_loss']] == dict(type='GIoULoss', reduction='none')
    # (the other box loss, DINO's L1, is the recipe's: compared above)
    hooks = list(baseline.get('custom_hooks', []))
    if ref['loss_cls'] is ALRP:  # SelfBalanceHook after the recipe's hooks
        hooks.append(dict(type='SelfBalanceHook'))
        assert head['tau'] == 0.5
    assert cfg.get('custom_hooks', []) == hooks
    assert cfg['default_hooks']['num_class_check'] == dict(
        type='NumClassCheckHook')
    assert f'{ref["box_ap"]} box AP' in audit.header(folder, name)


@pytest.mark.parametrize('folder, name', CONFIGS)
def test_builds_and_steps_on_cpu(folder, name):
    model_cfg = Config(dict(model=audit.load(folder, name).model))
    # one CPU process: RTMDet's SyncBN as BN, no pretrained weights
    text = model_cfg.pretty_text.replace("'SyncBN'", "'BN'")
    model_cfg = Config.fromstring(text, '.py').model
    model_cfg.backbone.init_cfg = None
    # DINO picks its 900 queries among the encoder's tokens: larger images
    shapes = [[3, 256, 320], [3, 320, 256]] if folder == 'dino' else [
        [3, 128, 160], [3, 160, 128]]
    audit.train_step(model_cfg, shapes, 80)
