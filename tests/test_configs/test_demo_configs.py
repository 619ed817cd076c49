"""The small synthetic configs: built from shared bases, each one trains a
step on CPU, and the class count check is on."""
import ast
import os
import os.path as osp

import pytest
from mmengine import Config

from ..conftest import REPO
from ..helpers import config_audit as audit

DEMO_DIR = osp.join(REPO, 'configs', 'demo')
#: config -> (detector, head that carries the loss, SelfBalanceHook used)
DEMO_CONFIGS = {
    'alrp_atss_tiny_synthetic.py': ('RetinaNet', 'ALRPATSSHead', True),
    'atss_focal_tiny_synthetic.py': ('RetinaNet', 'ATSSHead', False),
    'fovea_focal_tiny_synthetic.py': ('FOVEA', 'FoveaHead', False),
    'alrp_fovea_tiny_synthetic.py': ('FOVEA', 'ALRPFoveaHead', True),
    'ap_loss_fovea_tiny_synthetic.py': ('FOVEA', 'APLossFoveaHead', False),
    'faster_rcnn_tiny_synthetic.py': ('FasterRCNN', 'Shared2FCBBoxHead',
                                      False),
    'faster_rcnn_giou_tiny_synthetic.py': ('FasterRCNN', 'Shared2FCBBoxHead',
                                           False),
    'alrp_faster_rcnn_tiny_synthetic.py': ('FasterRCNN',
                                           'ALRPShared2FCBBoxHead', True),
    'rs_atss_tiny_synthetic.py': ('RetinaNet', 'RankSortATSSHead', False),
    'rs_faster_rcnn_tiny_synthetic.py': ('FasterRCNN',
                                         'RankSortShared2FCBBoxHead', False),
    'fcos_focal_tiny_synthetic.py': ('FCOS', 'FCOSHead', False),
    'alrp_fcos_tiny_synthetic.py': ('FCOS', 'ALRPFCOSHead', True),
    'rs_fcos_tiny_synthetic.py': ('FCOS', 'RankSortFCOSHead', False),
    'rtmdet_qfl_tiny_synthetic.py': ('RTMDet', 'RTMDetSepBNHead', False),
    'alrp_rtmdet_tiny_synthetic.py': ('RTMDet', 'ALRPRTMDetSepBNHead', True),
    'rs_rtmdet_tiny_synthetic.py': ('RTMDet', 'RankSortRTMDetSepBNHead',
                                    False),
    'dino_focal_tiny_synthetic.py': ('DINO', 'DINOHead', False),
    'dino_qfl_tiny_synthetic.py': ('DINO', 'DINOHead', False),
    'alrp_dino_tiny_synthetic.py': ('DINO', 'ALRPDINOHead', True),
    'rs_dino_tiny_synthetic.py': ('DINO', 'RankSortDINOHead', False),
    'gfl_tiny_synthetic.py': ('GFL', 'GFLHead', False),
    'vfnet_tiny_synthetic.py': ('VFNet', 'VFNetHead', False),
    'tood_tiny_synthetic.py': ('TOOD', 'TOODHead', False),
    'mask_rcnn_tiny_synthetic.py': ('MaskRCNN', 'Shared2FCBBoxHead', False),
    'rs_mask_rcnn_tiny_synthetic.py': ('MaskRCNN',
                                       'RankSortShared2FCBBoxHead', False),
}


def test_every_demo_config_is_listed():
    assert sorted(os.listdir(DEMO_DIR)) == sorted(DEMO_CONFIGS)


@pytest.mark.parametrize('name', sorted(DEMO_CONFIGS))
def test_demo_config_builds_steps_and_checks_class_count(name):
    cfg = Config.fromfile(osp.join(DEMO_DIR, name))
    detector, head_type, uses_sb = DEMO_CONFIGS[name]
    if not head_type.startswith(('ALRP', 'APLoss', 'RankSort')):
        # a baseline inherits the shared bases or another baseline, not a
        # ranking config
        with open(osp.join(DEMO_DIR, name)) as f:
            statements = ast.parse(f.read()).body
        (bases, ) = [
            ast.literal_eval(node.value) for node in statements
            if isinstance(node, ast.Assign) and node.targets[0].id == '_base_'
        ]
        assert not any(word in str(bases)
                       for word in ('alrp', 'rs_', 'ap_loss', 'ranking'))
    assert cfg.model.type == detector
    head = cfg.model.get('bbox_head') or cfg.model.roi_head.bbox_head
    assert head.type == head_type
    assert head.num_classes == len(cfg.classes) == 3
    assert cfg.default_hooks.num_class_check == dict(
        type='NumClassCheckHook')
    # the RTMDet configs also carry RTMDet's EMAHook
    hooks = [hook for hook in cfg.get('custom_hooks', [])
             if hook['type'] != 'EMAHook'] or None
    assert (hooks == [dict(type='SelfBalanceHook')]) == uses_sb
    audit.train_step(cfg.model, [[3, 96, 96], [3, 96, 96]], 3,
                     predict=False, with_mask=detector == 'MaskRCNN')
