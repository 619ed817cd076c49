"""RankingRoIHead and RankingCascadeRoIHead refuse a broken gt box of any
image, whatever produced the proposals."""
import math

import pytest
import torch
from mmengine import Config

from mmdet.registry import MODELS
from mmdet.testing import demo_mm_inputs
from mmdet.utils import register_all_modules
from ...conftest import REPO

register_all_modules()
DEMO = f'{REPO}/configs/demo'
CASCADE = f'{REPO}/configs/rank_sort_loss/' \
    'ranksort_cascade_rcnn_r50_fpn_1x_coco.py'


def with_mmdets_rpn(config):
    """The config's model with mmdet's own sampled RPNHead, which checks no
    gt box (the case that went unseen)."""
    model = Config.fromfile(config).model
    stock = Config.fromfile(f'{DEMO}/faster_rcnn_tiny_synthetic.py').model
    model.rpn_head, model.train_cfg.rpn = stock.rpn_head, stock.train_cfg.rpn
    return model


def batch(model, size=96, num_classes=3):
    torch.manual_seed(0)
    packed = demo_mm_inputs(2, [[3, size, size]] * 2, num_items=[3, 2],
                            num_classes=num_classes)
    return model.data_preprocessor(packed, True)


BROKEN = {
    'non-finite': [10.0, 10.0, math.nan, 40.0],
    'of zero width or height': [10.0, 10.0, 10.0, 40.0],
    'inverted': [30.0, 10.0, 10.0, 40.0],
}


@pytest.mark.parametrize('what', sorted(BROKEN))
@pytest.mark.parametrize('config, head', [
    (f'{DEMO}/alrp_faster_rcnn_tiny_synthetic.py', 'ALRPShared2FCBBoxHead'),
    (f'{DEMO}/rs_faster_rcnn_tiny_synthetic.py',
     'RankSortShared2FCBBoxHead'),
])
def test_a_broken_gt_box_is_refused_behind_mmdets_rpn(config, head, what):
    # one such box used to take the image's positive RoIs to 0 silently
    model = MODELS.build(with_mmdets_rpn(config))
    data = batch(model)
    gt = data['data_samples'][1].gt_instances
    gt.bboxes[1] = torch.tensor(BROKEN[what])
    with pytest.raises(ValueError,
                       match=f'{head}: ground-truth box 1 of image 1 of the '
                       rf'batch \(1\) is {what}'):
        model.loss(data['inputs'], data['data_samples'])


def test_the_cascade_checks_with_its_first_stage():
    cfg = Config.fromfile(CASCADE).model
    cfg.backbone.init_cfg = None
    model = MODELS.build(cfg)
    data = batch(model, size=64, num_classes=80)
    data['data_samples'][0].gt_instances.labels[0] = 80
    with pytest.raises(ValueError, match='RankSortShared2FCBBoxHead: '
                       'ground-truth label 80 is outside \\[0, 80\\).*'
                       'model.roi_head.bbox_head.num_classes'):
        model.loss(data['inputs'], data['data_samples'])
