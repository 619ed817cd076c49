"""Every paper config carries the values of its table row (Oksuz et al.,
NeurIPS 2020, Tables 2, 3, 6, 7, 8; reference sections 1.1-1.4) and builds
and steps on CPU."""
import pytest

from . import audit

R50 = ('ResNet', 50, 'torchvision://resnet50')
R101 = ('ResNet', 101, 'torchvision://resnet101')
X101 = ('ResNeXt', 101, 'open-mmlab://resnext101_64x4d')
ALRP = dict(type='ALRPLoss', use_sigmoid=True, delta=1.0, sb_init=50.0)
GIOU = dict(type='GIoULoss', reduction='none')
AP = dict(type='APLoss', use_sigmoid=True, delta=1.0, interpolated=True)


def row(table, number, backbone, scale, lr, milestones, **extra):
    return dict(table=table, number=number, backbone=backbone, scale=scale,
                lr=lr, milestones=milestones, **extra)


def retina(anchors, assigner, head, loss_cls=ALRP, loss_bbox=GIOU,
           sb=dict(type='SelfBalanceHook')):
    return dict(detector='RetinaNet', head=head, anchors=anchors,
                assigner=assigner, loss_cls=loss_cls, loss_bbox=loss_bbox,
                sb=sb)


MAXIOU6 = retina((4, 2, [0.5, 1.0, 2.0]), 'MaxIoUAssigner', 'ALRPRetinaHead')
ATSS2 = retina((4, 2, [1.0]), 'ATSSAssigner', 'ALRPATSSHead')
ATSS3 = retina((4, 3, [1.0]), 'ATSSAssigner', 'ALRPATSSHead')
IOU = dict(type='IoULoss', mode='linear', reduction='none')

#: file name -> (paper table and the number it should reproduce, values)
PAPER_ROWS = {
    # Table 2 (minival AP) and Table 3 (its SB column)
    'ap_loss_retinanet_r50_fpn_100e_coco500.py': row(
        'Table 2 AP Loss', 35.5, R50, 500, 0.002, [60, 80], **retina(
            (4, 2, [0.5, 1.0, 2.0]), 'MaxIoUAssigner', 'APLossRetinaHead',
            AP, dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0), None)),
    'alrp_loss_retinanet_r50_fpn_iou_noSB_100e_coco500.py': row(
        'Table 2 aLRP IoU w/o SB', 36.9, R50, 500, 0.008, [60, 80],
        **dict(MAXIOU6, loss_bbox=IOU,
               sb=dict(type='SelfBalanceHook', fixed_weight=1.0))),
    'alrp_loss_retinanet_r50_fpn_iou_100e_coco500.py': row(
        'Table 2 aLRP IoU SB', 38.7, R50, 500, 0.008, [60, 80],
        **dict(MAXIOU6, loss_bbox=IOU)),
    'alrp_loss_retinanet_r50_fpn_100e_coco500.py': row(
        'Table 2 aLRP GIoU SB', 38.9, R50, 500, 0.008, [60, 80], **MAXIOU6),
    # Table 6 (test-dev AP); R-50 is also Table 2's GIoU + ATSS row
    'alrp_loss_retinanet_r50_fpn_ATSS_100e_coco500.py': row(
        'Table 6 aLRPLoss500 R-50', 41.3, R50, 500, 0.008, [75, 95], **ATSS2),
    'alrp_loss_retinanet_r101_fpn_ATSS_100e_coco500.py': row(
        'Table 6 aLRPLoss500 R-101', 42.8, R101, 500, 0.008, [75, 95],
        **ATSS2),
    'alrp_loss_retinanet_x101_64x4d_fpn_ATSS_100e_coco500.py': row(
        'Table 6 aLRPLoss500 X-101', 44.6, X101, 500, 0.008, [75, 95],
        **ATSS2),
    'alrp_loss_retinanet_r101_fpn_ATSS_100e_coco800.py': row(
        'Table 6 aLRPLoss800 R-101', 45.9, R101, 800, 0.004, [60, 80],
        **ATSS3),
    'alrp_loss_retinanet_x101_64x4d_fpn_ATSS_100e_coco800.py': row(
        'Table 6 aLRPLoss800 X-101', 47.8, X101, 800, 0.004, [60, 80],
        **ATSS3),
    'alrp_loss_retinanet_x101_64x4d_fpn_dcn_ATSS_100e_coco800.py': row(
        'Table 6 aLRPLoss800 X-101-DCN', 48.9, X101, 800, 0.004, [60, 80],
        dcn=True, **ATSS3),
    # Table 7 (minival AP)
    'fovea_r50_fpn_4x4_100e_coco500.py': row(
        'Table 7 Focal + SL1', 38.3, R50, 500, 0.02, [75, 95],
        detector='FOVEA', head='FoveaHead', sb=None,
        loss_cls=dict(type='FocalLoss', use_sigmoid=True, gamma=1.5,
                      alpha=0.4, loss_weight=1.0),
        loss_bbox=dict(type='SmoothL1Loss', beta=0.11, loss_weight=1.0)),
    'ap_loss_fovea_r50_fpn_4x4_100e_coco500.py': row(
        'Table 7 AP Loss + SL1', 36.5, R50, 500, 0.002, [75, 95],
        detector='FOVEA', head='APLossFoveaHead', loss_cls=AP, sb=None,
        loss_bbox=dict(type='SmoothL1Loss', beta=0.11, loss_weight=1.0)),
    'alrp_loss_fovea_r50_fpn_4x4_100e_coco500.py': row(
        'Table 7 aLRP Loss', 39.7, R50, 500, 0.008, [75, 95],
        detector='FOVEA', head='ALRPFoveaHead', loss_cls=ALRP,
        loss_bbox=GIOU, sb=dict(type='SelfBalanceHook')),
    # Table 8 (minival AP)
    'faster_rcnn_r50_fpn_100e_coco500.py': row(
        'Table 8 CE + L1', 37.8, R50, 500, 0.04, [75, 95],
        detector='FasterRCNN', rpn=('RPNHead', 'RandomSampler'),
        roi=('Shared2FCBBoxHead', 'RandomSampler'), sb=None,
        loss_bbox=dict(type='L1Loss', loss_weight=1.0)),
    'faster_rcnn_r50_fpn_giou_100e_coco500.py': row(
        'Table 8 CE + GIoU', 38.2, R50, 500, 0.04, [75, 95],
        detector='FasterRCNN', rpn=('RPNHead', 'RandomSampler'),
        roi=('Shared2FCBBoxHead', 'RandomSampler'), sb=None,
        loss_bbox=dict(type='GIoULoss', loss_weight=10.0)),
    'alrp_loss_faster_rcnn_r50_fpn_100e_coco500.py': row(
        'Table 8 aLRP Loss', 40.7, R50, 500, 0.012, [75, 95],
        detector='FasterRCNN', rpn=('ALRPRPNHead', None),
        roi=('ALRPShared2FCBBoxHead', 'PseudoSampler'), loss_bbox=GIOU,
        sb=dict(type='SelfBalanceHook')),
}


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
