"""Every paper config carries the values of its table row (Oksuz et al.,
NeurIPS 2020, Tables 2, 3, 6, 7, 8; reference sections 1.1-1.4) and builds
and steps on CPU."""
import pytest

from ..helpers import config_audit as audit
from ..helpers.paper_rows import ALRP, GIOU, PAPER_ROWS


def load(name):
    return audit.load('alrp_loss', name)


def test_every_config_is_audited():
    assert audit.config_files('alrp_loss') == sorted(PAPER_ROWS)


@pytest.mark.parametrize('name', sorted(PAPER_ROWS))
def test_header_names_the_table_row_and_number(name):
    text = audit.header('alrp_loss', name)
    table, number = PAPER_ROWS[name]['table'].split()[:2], PAPER_ROWS[name][
        'number']
    assert ' '.join(table) in text and f'{number} AP' in text


@pytest.mark.parametrize('name', sorted(PAPER_ROWS))
def test_schedule_data_and_backbone(name):
    cfg, ref = load(name), PAPER_ROWS[name]
    assert cfg.model.type == ref['detector']
    backbone_type, depth, weights = ref['backbone']
    backbone = cfg.model.backbone
    assert (backbone.type, backbone.depth) == (backbone_type, depth)
    assert backbone.init_cfg == dict(type='Pretrained', checkpoint=weights)
    assert backbone.frozen_stages == 1 and backbone.norm_eval
    if backbone_type == 'ResNeXt':
        assert (backbone.groups, backbone.base_width) == (64, 4)
    if ref.get('dcn'):
        assert backbone.dcn.type == 'DCNv2'
        assert backbone.stage_with_dcn == (False, True, True, True)
    assert cfg.optim_wrapper.optimizer == dict(
        type='SGD', lr=ref['lr'], momentum=0.9, weight_decay=0.0001)
    assert cfg.optim_wrapper.get('clip_grad') is None
    warmup, steps = cfg.param_scheduler
    assert (warmup.type, warmup.start_factor, warmup.end) == (
        'LinearLR', 0.001, 500)
    assert steps.milestones == ref['milestones'] and steps.gamma == 0.1
    assert cfg.default_hooks.num_class_check == dict(
        type='NumClassCheckHook')
    assert cfg.train_cfg.max_epochs == 100 and cfg.train_cfg.val_interval == 1
    images_per_gpu = 8 if ref['scale'] == 500 else 4
    assert cfg.train_dataloader.batch_size == images_per_gpu
    assert cfg.auto_scale_lr.base_batch_size == 4 * images_per_gpu
    train_steps = [t.type for t in cfg.train_dataloader.dataset.pipeline]
    assert train_steps == [
        'LoadImageFromFile', 'LoadAnnotations', 'PhotoMetricDistortion',
        'Expand', 'MinIoURandomCrop', 'Resize', 'RandomFlip', 'PackDetInputs'
    ]
    resize = cfg.train_dataloader.dataset.pipeline[5]
    size = 512 if ref['scale'] == 500 else 800
    assert resize.scale == (size, size) and not resize.keep_ratio
    test_resize = [t for t in cfg.test_dataloader.dataset.pipeline
                   if t.type == 'Resize'][0]
    assert test_resize.keep_ratio and test_resize.scale == {
        500: (833, 500), 800: (1333, 800)}[ref['scale']]
    hooks = [h for h in cfg.get('custom_hooks', [])
             if h.type == 'SelfBalanceHook']
    assert hooks == ([ref['sb']] if ref['sb'] else [])


@pytest.mark.parametrize(
    'name', sorted(n for n in PAPER_ROWS if 'anchors' in PAPER_ROWS[n]))
def test_retinanet_head(name):
    cfg, ref = load(name), PAPER_ROWS[name]
    head = cfg.model.bbox_head
    assert head.type == ref['head'] and head.num_classes == 80
    generator = head.anchor_generator
    assert (generator.octave_base_scale, generator.scales_per_octave,
            generator.ratios) == ref['anchors']
    assert generator.strides == [8, 16, 32, 64, 128]
    assert head.bbox_coder.target_stds == [0.1, 0.1, 0.2, 0.2]
    assert head.loss_cls == ref['loss_cls']
    assert head.loss_bbox == ref['loss_bbox']
    assert cfg.model.train_cfg.assigner.type == ref['assigner']
    if ref['assigner'] == 'MaxIoUAssigner':
        assigner = cfg.model.train_cfg.assigner
        assert (assigner.pos_iou_thr, assigner.neg_iou_thr,
                assigner.min_pos_iou) == (0.5, 0.4, 0)
    else:
        assert cfg.model.train_cfg.assigner.topk == 9
    assert cfg.model.train_cfg.get('sampler') in (None, dict(
        type='PseudoSampler'))
    assert cfg.model.neck.start_level == 1 and cfg.model.neck.num_outs == 5
    test_cfg = cfg.model.test_cfg
    assert (test_cfg.nms_pre, test_cfg.score_thr, test_cfg.max_per_img,
            test_cfg.nms.iou_threshold) == (1000, 0.05, 100, 0.5)


@pytest.mark.parametrize(
    'name', sorted(n for n in PAPER_ROWS if n.startswith(
        ('fovea', 'ap_loss_fovea', 'alrp_loss_fovea'))))
def test_fovea_head(name):
    cfg, ref = load(name), PAPER_ROWS[name]
    head = cfg.model.bbox_head
    assert head.type == ref['head'] and head.num_classes == 80
    assert head.loss_cls == ref['loss_cls']
    assert head.loss_bbox == ref['loss_bbox']
    assert head.base_edge_list == [16, 32, 64, 128, 256]
    assert head.scale_ranges == ((1, 64), (32, 128), (64, 256), (128, 512),
                                 (256, 2048))
    assert head.sigma == 0.4 and not head.with_deform
    assert head.get('norm_cfg') is None


@pytest.mark.parametrize(
    'name', sorted(n for n in PAPER_ROWS if 'rpn' in PAPER_ROWS[n]))
def test_faster_rcnn_heads(name):
    cfg, ref = load(name), PAPER_ROWS[name]
    rpn, roi = cfg.model.rpn_head, cfg.model.roi_head.bbox_head
    train_cfg = cfg.model.train_cfg
    assert (rpn.type, train_cfg.rpn.get('sampler', {}).get('type')) == \
        ref['rpn']
    assert (roi.type, train_cfg.rcnn.sampler.type) == ref['roi']
    assert roi.loss_bbox == ref['loss_bbox'] and roi.num_classes == 80
    assert train_cfg.rpn.assigner.pos_iou_thr == 0.7
    assert train_cfg.rcnn.assigner.pos_iou_thr == 0.5
    assert cfg.model.test_cfg.rcnn.score_thr == 0.05
    if rpn.type == 'ALRPRPNHead':
        assert (rpn.head_weight, rpn.tau) == (0.2, 0.7)
        assert rpn.bbox_coder.target_stds == [0.1, 0.1, 0.2, 0.2]
        assert rpn.loss_cls == roi.loss_cls == ALRP
        assert rpn.loss_bbox == GIOU and roi.tau == 0.5
        assert roi.reg_decoded_bbox


def test_table3_constant_weight_and_table2_schedule_are_cfg_options():
    cfg = load('alrp_loss_retinanet_r50_fpn_100e_coco500.py')
    cfg.merge_from_dict({'custom_hooks.0.fixed_weight': 10})
    assert cfg.custom_hooks == [dict(type='SelfBalanceHook',
                                     fixed_weight=10)]
    cfg = load('alrp_loss_retinanet_r50_fpn_ATSS_100e_coco500.py')
    cfg.merge_from_dict({'param_scheduler.1.milestones': [60, 80]})
    assert cfg.param_scheduler[1].milestones == [60, 80]


@pytest.mark.parametrize('name', sorted(PAPER_ROWS))
def test_builds_and_steps_on_cpu(name):
    cfg = load(name)
    cfg.model.backbone.init_cfg = None
    audit.train_step(cfg.model, [[3, 128, 128], [3, 96, 128]], 80)
