"""CaptionedDetLocalVisualizer: captions, the fallback for uncalibrated
scores, readable labels and enlarged small images."""
import numpy as np
import pytest
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


def test_captions_say_what_passes_the_threshold_in_the_labels_unit():
    # mmdet labels a box "b: 90.0" (percent): the captions say the same
    caption = CaptionedDetLocalVisualizer.detections_caption
    assert caption(sample([0.9, 0.1]), 0.3) == 'detections > 30.0'
    assert caption(sample([0.12, 0.08, 0.05]), 0.3, 2) == \
        'none > 30.0: best 2 (12.0 to 8.0)'
    assert caption(sample([0.12, 0.08]), 0.3, 0) == \
        'no detection > 30.0 (best 12.0)'
    assert caption(sample([]), 0.3) == 'no detection'
    assert caption(None, 0.3) == 'detections'


@pytest.mark.parametrize('scores, top_k, drawn', [
    ([0.9, 0.1], 5, 1),  # one passes 0.3: the threshold stays
    ([0.12, 0.08, 0.05], 2, 2),
    ([0.12, 0.08, 0.05], 5, 3),
    ([0.023, 0.01], 1, 1),  # float32 scores at the threshold's edge
    ([0.12, 0.08], 0, 0),  # no fallback: mmdet's behaviour
])
def test_the_fallback_draws_the_best_k_when_none_passes(scores, top_k,
                                                        drawn):
    threshold = CaptionedDetLocalVisualizer.drawing_threshold(
        sample(scores), 0.3, top_k)
    assert int((torch.tensor(scores) > threshold).sum()) == drawn


def red_in_detections_panel(vis, scores):
    vis.add_datasample('x', np.zeros((96, 80, 3), np.uint8), sample(scores),
                       pred_score_thr=0.3)
    drawn = vis.get_image()
    return bool(((drawn[..., 0] > 200) & (drawn[..., 1] < 60))[:, 400:]
                .any())


def test_rank_sort_like_scores_are_drawn_unless_switched_off():
    assert red_in_detections_panel(visualizer('fallback_on'), [0.06, 0.02])
    off = visualizer('fallback_off')
    off.top_k_fallback = 0
    assert not red_in_detections_panel(off, [0.06, 0.02])


def test_no_text_is_drawn_below_the_minimum_size():
    # mmdet sizes a small box's label at 6 pixels
    def text(min_font_size, size):
        vis = visualizer(f'text_{min_font_size}_{size}')
        vis.min_font_size = min_font_size
        vis.set_image(np.zeros((40, 200, 3), np.uint8))
        vis.draw_texts('rectangle: 90.0', np.array([2, 2]), colors='white',
                       font_sizes=size)
        return vis.get_image()

    assert np.array_equal(text(11, 6), text(11, 11))
    assert not np.array_equal(text(6, 6), text(6, 11))
    assert text(6, 6).any()


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
    # each panel's caption is drawn in its own half of the caption band
    # (white text on black: the band is black elsewhere), and the caller's
    # sample is unchanged
    band = drawn[:CAPTION_HEIGHT].max(axis=2) > 128
    text_cols = np.nonzero(band.any(axis=0))[0]
    assert text_cols.min() < 400 <= text_cols.max()
    assert band[:, :400].any() and band[:, 400:].any()
    assert data_sample.gt_instances.bboxes.tolist() == [[10, 20, 50, 60]]


def test_large_images_keep_their_size():
    vis = visualizer('captioned_large')
    vis.add_datasample('x', np.zeros((500, 420, 3), np.uint8), sample([]),
                       pred_score_thr=0.3)
    assert vis.get_image().shape == (CAPTION_HEIGHT + 500, 840, 3)
