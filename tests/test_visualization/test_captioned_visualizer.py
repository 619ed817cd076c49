"""CaptionedDetLocalVisualizer: captions and enlarged small images."""
import numpy as np
import torch
from mmengine.structures import InstanceData

from alrp_mmdet.visualization import CaptionedDetLocalVisualizer
from alrp_mmdet.visualization.captioned_visualizer import CAPTION_HEIGHT
from mmdet.structures import DetDataSample


def sample(scores):
    data_sample = DetDataSample()
    data_sample.gt_instances = InstanceData(
        bboxes=torch.tensor([[10., 20., 50., 60.]]),
        labels=torch.tensor([1]))
    data_sample.pred_instances = InstanceData(
        bboxes=torch.tensor([[12., 20., 50., 60.]] * len(scores)),
        scores=torch.tensor(scores), labels=torch.tensor([1] * len(scores)))
    return data_sample


def visualizer(name):
    vis = CaptionedDetLocalVisualizer(name=name, bbox_color=(255, 0, 0),
                                      line_width=1, alpha=1.0)
    vis.dataset_meta = dict(classes=('a', 'b'))
    return vis


def test_captions_say_what_passes_the_threshold_and_the_best_score():
    caption = CaptionedDetLocalVisualizer.detections_caption
    assert caption(sample([0.9, 0.1]), 0.3) == 'detections > 0.30'
    assert caption(sample([0.12, 0.08]), 0.3) == \
        'no detection > 0.30 (best 0.12)'
    assert caption(sample([]), 0.3) == 'no detection'
    assert caption(None, 0.3) == 'detections'


def test_small_images_are_enlarged_with_their_boxes_and_captioned():
    vis = visualizer('captioned_small')
    image = np.zeros((96, 80, 3), np.uint8)
    data_sample = sample([0.9])
    vis.add_datasample('x', image, data_sample, pred_score_thr=0.3)
    drawn = vis.get_image()
    # ceil(400 / 96) = 5: two 480 x 400 panels under 22-pixel captions
    assert drawn.shape == (CAPTION_HEIGHT + 480, 800, 3)
    # the ground-truth box (x 10..50, y 20..60) is drawn at 5x in red
    red = (drawn[..., 0] > 200) & (drawn[..., 1] < 60)
    rows, cols = np.nonzero(red[:, :400])
    assert abs(cols.min() - 50) <= 2 and abs(cols.max() - 250) <= 2
    assert abs(rows.min() - (CAPTION_HEIGHT + 100)) <= 2
    # the caption band carries text, and the caller's sample is unchanged
    assert drawn[:CAPTION_HEIGHT].max() > 0
    assert data_sample.gt_instances.bboxes.tolist() == [[10, 20, 50, 60]]


def test_large_images_keep_their_size():
    vis = visualizer('captioned_large')
    vis.add_datasample('x', np.zeros((500, 420, 3), np.uint8), sample([]),
                       pred_score_thr=0.3)
    assert vis.get_image().shape == (CAPTION_HEIGHT + 500, 840, 3)
