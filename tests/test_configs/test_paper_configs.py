"""Paper configs carry the reference values and build and step on CPU."""
import os.path as osp

import pytest
import torch
from mmengine import Config
from mmengine.logging import MessageHub

from mmdet.registry import MODELS
from mmdet.testing import demo_mm_inputs
from ..conftest import REPO

# alrp-reference.md sections 1.1-1.2: assigner, anchors/location, milestones
PAPER_ROWS = {
    'alrp_loss_retinanet_r50_fpn_100e_coco500.py':
    dict(head='ALRPRetinaHead', assigner='MaxIoUAssigner',
         ratios=[0.5, 1.0, 2.0], milestones=[60, 80]),
    'alrp_loss_retinanet_r50_fpn_ATSS_100e_coco500.py':
    dict(head='ALRPATSSHead', assigner='ATSSAssigner', ratios=[1.0],
         milestones=[75, 95]),
}


def load(name):
    return Config.fromfile(osp.join(REPO, 'configs', 'alrp_loss', name))


@pytest.mark.parametrize('name', sorted(PAPER_ROWS))
def test_reference_values(name):
    cfg, row = load(name), PAPER_ROWS[name]
    head = cfg.model.bbox_head
    assert head.type == row['head'] and head.num_classes == 80
    assert head.anchor_generator.octave_base_scale == 4
    assert head.anchor_generator.scales_per_octave == 2
    assert head.anchor_generator.ratios == row['ratios']
    assert head.bbox_coder.target_stds == [0.1, 0.1, 0.2, 0.2]
    assert head.loss_cls == dict(type='ALRPLoss', use_sigmoid=True,
                                 delta=1.0, sb_init=50.0)
    assert head.loss_bbox == dict(type='GIoULoss', reduction='none')
    assert cfg.model.train_cfg.assigner.type == row['assigner']
    assert cfg.model.backbone.depth == 50
    assert cfg.model.backbone.init_cfg.checkpoint == 'torchvision://resnet50'
    assert cfg.model.neck.start_level == 1 and cfg.model.neck.num_outs == 5
    assert cfg.optim_wrapper.optimizer == dict(type='SGD', lr=0.008,
                                               momentum=0.9,
                                               weight_decay=0.0001)
    warmup, steps = cfg.param_scheduler
    assert (warmup.start_factor, warmup.end) == (0.001, 500)
    assert steps.milestones == row['milestones']
    assert cfg.train_cfg.max_epochs == 100
    assert cfg.train_dataloader.batch_size == 8
    assert cfg.auto_scale_lr.base_batch_size == 32
    resize = [t for t in cfg.train_dataloader.dataset.pipeline
              if t.type == 'Resize'][0]
    assert resize.scale == (512, 512) and not resize.keep_ratio
    test_resize = [t for t in cfg.test_dataloader.dataset.pipeline
                   if t.type == 'Resize'][0]
    assert test_resize.scale == (833, 500) and test_resize.keep_ratio
    assert dict(type='SelfBalanceHook') in cfg.custom_hooks
    test_cfg = cfg.model.test_cfg
    assert (test_cfg.nms_pre, test_cfg.score_thr, test_cfg.max_per_img) == \
        (1000, 0.05, 100)


@pytest.mark.parametrize('name', sorted(PAPER_ROWS))
def test_builds_and_steps_on_cpu(name):
    cfg = load(name)
    cfg.model.backbone.init_cfg = None
    MessageHub.get_instance('config_test').update_info('iter', 0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    packed = demo_mm_inputs(2, [[3, 128, 128], [3, 96, 128]], num_classes=80)
    data = model.data_preprocessor(packed, True)
    losses = model.forward(**data, mode='loss')
    total, _ = model.parse_losses(losses)
    total.backward()
    assert torch.isfinite(total) and losses['loss_cls'].item() > 0
    model.eval()
    with torch.no_grad():
        results = model.forward(**model.data_preprocessor(packed, False),
                                mode='predict')
    assert len(results) == 2 and 'bboxes' in results[0].pred_instances
