"""Every RS Loss config carries the values of its row of the RS README
(reference sections 3.2-3.3) and builds; those without CUDA-only ops step
on CPU."""
import pytest

from mmdet.registry import MODELS
from ..helpers import config_audit as audit
from ..helpers.rank_sort_rows import RS, GIOU, STDS, RS_ROWS


def load(name):
    return audit.load('rank_sort_loss', name)


def test_every_config_is_audited():
    assert audit.config_files('rank_sort_loss') == sorted(RS_ROWS)


@pytest.mark.parametrize('name', sorted(RS_ROWS))
def test_header_names_the_row_and_numbers(name):
    text = audit.header('rank_sort_loss', name)
    ref = RS_ROWS[name]
    assert f'"{ref["readme_row"]}"' in text
    assert f'{ref["box_ap"]} box AP' in text and f'{ref["olrp"]} oLRP' in text
    if 'mask_ap' in ref:
        assert f'{ref["mask_ap"]} mask AP, {ref["mask_olrp"]} mask oLRP' in \
            text


@pytest.mark.parametrize('name', sorted(RS_ROWS))
def test_schedule_batch_backbone_and_data(name):
    cfg, ref = load(name), RS_ROWS[name]
    assert cfg.model.type == ref['detector']
    backbone = cfg.model.backbone
    assert backbone.depth == ref['depth']
    assert backbone.init_cfg.checkpoint == \
        f'torchvision://resnet{ref["depth"]}'
    if ref.get('dcn'):
        assert backbone.dcn == dict(type='DCNv2', deform_groups=4,
                                    fallback_on_stride=False)
        assert backbone.stage_with_dcn == (False, True, True, True)
    else:
        assert backbone.get('dcn') is None
    assert (cfg.model.neck.type == 'FPN_CARAFE') == bool(ref.get('carafe'))
    assert cfg.optim_wrapper.optimizer == dict(
        type='SGD', lr=ref['lr'], momentum=0.9, weight_decay=0.0001)
    warmup, steps = cfg.param_scheduler
    assert (warmup.type, warmup.start_factor, warmup.end) == (
        'LinearLR', 0.001, 500)
    assert steps.milestones == ref['milestones'] and steps.gamma == 0.1
    assert cfg.train_cfg.max_epochs == ref['epochs']
    assert cfg.train_dataloader.batch_size == 4
    assert cfg.auto_scale_lr.base_batch_size == 16
    resize = cfg.train_dataloader.dataset.pipeline[2]
    if ref.get('scales'):
        assert resize.type == 'RandomChoiceResize'
        assert resize.scales == ref['scales'] and resize.keep_ratio
    else:
        assert resize.type == 'Resize' and resize.scale == (1333, 800)
    assert cfg.test_dataloader.dataset.pipeline[1].scale == (1333, 800)
    assert cfg.default_hooks.num_class_check == dict(
        type='NumClassCheckHook')


TWO_STAGE = [n for n in sorted(RS_ROWS) if RS_ROWS[n]['detector'] in (
    'FasterRCNN', 'CascadeRCNN', 'MaskRCNN')]


@pytest.mark.parametrize('name', TWO_STAGE)
def test_two_stage_heads(name):
    model = load(name).model
    cascade = model.type == 'CascadeRCNN'
    rpn = model.rpn_head
    assert (rpn.type, rpn.head_weight, rpn.loss_cls, rpn.loss_bbox) == (
        'RankSortRPNHead', 0.2, RS, GIOU)
    assert rpn.bbox_coder.target_stds == STDS
    assert 'sampler' not in model.train_cfg.rpn
    assert model.train_cfg.rpn.allowed_border == (0 if cascade else -1)
    assert model.train_cfg.rpn.assigner.pos_iou_thr == 0.7
    heads = model.roi_head.bbox_head
    rcnn = model.train_cfg.rcnn
    if cascade:
        assert model.roi_head.stage_loss_weights == [1, 1, 1]
        assert [r.assigner.pos_iou_thr for r in rcnn] == [0.5, 0.6, 0.7]
        assert all(h.reg_class_agnostic for h in heads)
    else:
        heads, rcnn = [heads], [rcnn]
    for head, stage in zip(heads, rcnn):
        assert head.type == 'RankSortShared2FCBBoxHead'
        assert head.loss_cls == RS and head.loss_bbox == GIOU
        assert head.reg_decoded_bbox and head.bbox_coder.target_stds == STDS
        assert head.num_classes == 80
        assert stage.sampler.type == 'RandomSampler'
        assert stage.sampler.num >= 10**10
        assert stage.sampler.add_gt_as_proposals
    assert model.test_cfg.rcnn.score_thr == 0.40
    if model.type == 'MaskRCNN':  # reference 2.5, 2.6
        roi = model.roi_head
        assert (roi.type, roi.max_mask_rois) == ('RankSortRoIHead', 200)
        assert roi.mask_head.loss_mask == dict(
            type='DiceLoss', use_sigmoid=True, activate=True,
            naive_dice=False, eps=5e-6, reduction='none')
        assert model.train_cfg.rcnn.assigner.match_low_quality
    else:
        assert model.roi_head.type == (
            'RankingCascadeRoIHead' if cascade else 'RankingRoIHead')


@pytest.mark.parametrize('name', ['ranksort_atss_r50_fpn_1x_coco.py',
                                  'ranksort_paa_r50_fpn_1x_coco.py'])
def test_single_stage_heads(name):
    model = load(name).model
    head = model.bbox_head
    anchors = head.anchor_generator
    assert (anchors.octave_base_scale, anchors.scales_per_octave,
            anchors.ratios) == (4, 3, [1.0])
    assert head.bbox_coder.target_stds == STDS
    assert head.loss_cls == RS and head.loss_bbox == GIOU
    assert 'norm_cfg' not in head  # ATSSHead's default: GN with 32 groups
    assert model.test_cfg.nms.iou_threshold == 0.6
    if model.type == 'ATSS':
        assert head.type == 'RankSortATSSHead'
        assert model.train_cfg.assigner == dict(type='ATSSAssigner', topk=9)
        return
    assert head.type == 'RankSortPAAHead'
    assert head.topk == 9 and head.score_voting
    assert head.reg_decoded_bbox
    assert model.train_cfg.assigner == dict(
        type='MaxIoUAssigner', pos_iou_thr=0.1, neg_iou_thr=0.1,
        min_pos_iou=0, ignore_iof_thr=-1)
    assert model.test_cfg.score_thr == 0.05


#: CARAFE (FPN_CARAFE's upsampling) is a CUDA-only mmcv op
CPU_STEPS = [n for n in sorted(RS_ROWS) if not RS_ROWS[n].get('carafe')]


@pytest.mark.parametrize('name', sorted(RS_ROWS))
def test_builds_and_steps_on_cpu_where_the_ops_allow(name):
    cfg = load(name)
    cfg.model.backbone.init_cfg = None
    if name not in CPU_STEPS:
        MODELS.build(cfg.model)
        return
    model = audit.train_step(cfg.model, [[3, 128, 128], [3, 96, 128]], 80,
                             with_mask=cfg.model.type == 'MaskRCNN')
    if cfg.model.type in ('ATSS', 'PAA'):
        assert model.bbox_head.cls_convs[0].norm_name == 'gn'
        assert not [name for name, _ in model.bbox_head.named_parameters()
                    if 'centerness' in name]
        assert model.bbox_head.reg_decoded_bbox
