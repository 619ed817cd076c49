"""mmdet's DetLocalVisualizer with captions and readable labels on small
images."""
import math
from typing import List, Optional

import mmcv
import numpy as np
import torch
from mmengine.structures import InstanceData

from mmdet.registry import VISUALIZERS
from mmdet.visualization import DetLocalVisualizer

#: height in pixels of the caption band drawn above each panel
CAPTION_HEIGHT = 22


@VISUALIZERS.register_module()
class CaptionedDetLocalVisualizer(DetLocalVisualizer):
    """Draws as :class:`mmdet.visualization.DetLocalVisualizer` does (ground
    truth left, detections right), and

    - captions each panel: "ground truth", "detections > THR", or, when no
      detection passes the drawing threshold, "none > THR: best K (S1 to
      SK)", scores in mmdet's label unit (percent, one decimal);
    - then draws the ``top_k_fallback`` best detections instead of none:
      a ranking loss orders its scores without calibrating them (correct
      Rank & Sort detections can all score below mmdet's drawing threshold
      of 0.3), so a picture of such a run is not left empty;
    - enlarges an image whose longer side is below ``min_size`` pixels by an
      integer factor before drawing (boxes with it), and draws no text
      smaller than ``min_font_size`` pixels (mmdet sizes a label by its
      box's area, down to 6 pixels on small boxes).

    ``tools/test.py --show/--show-dir`` and ``tools/demo.py`` use it; the
    drawing threshold is ``default_hooks.visualization.score_thr`` (0.3),
    the fallback ``visualizer.top_k_fallback`` (0 draws nothing below the
    threshold, as mmdet does).

    Args:
        name: the instance name (mmengine's visualizer manager).
        min_size: longer side, in pixels, below which images are enlarged.
        top_k_fallback: detections drawn, best first, on an image where none
            passes the drawing threshold.
        min_font_size: smallest text size in pixels.
        **kwargs: the other arguments of
            :class:`~mmdet.visualization.DetLocalVisualizer`.
    """

    def __init__(self, name: str = 'visualizer', min_size: int = 400,
                 top_k_fallback: int = 5, min_font_size: int = 11,
                 **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self.min_size = min_size
        self.top_k_fallback = top_k_fallback
        self.min_font_size = min_font_size
        self._detections_caption = 'detections'

    def add_datasample(self, name: str, image: np.ndarray,
                       data_sample=None, draw_gt: bool = True,
                       draw_pred: bool = True, show: bool = False,
                       wait_time: float = 0, out_file: Optional[str] = None,
                       pred_score_thr: float = 0.3, step: int = 0) -> None:
        """mmdet's ``add_datasample`` on the enlarged image and sample, at
        the threshold that keeps the fallback's detections when none passes
        ``pred_score_thr``."""
        factor = math.ceil(self.min_size / max(image.shape[:2]))
        if factor > 1:
            image = mmcv.imrescale(image, factor, interpolation='nearest')
            if data_sample is not None:
                data_sample = data_sample.clone()  # shares its fields
                for key in ('gt_instances', 'pred_instances'):
                    if key in data_sample and 'bboxes' in data_sample.get(key):
                        instances = data_sample.get(key).clone()
                        instances.bboxes = instances.bboxes * factor
                        setattr(data_sample, key, instances)
        self._detections_caption = self.detections_caption(
            data_sample, pred_score_thr, self.top_k_fallback)
        drawn_above = self.drawing_threshold(data_sample, pred_score_thr,
                                             self.top_k_fallback)
        super().add_datasample(name, image, data_sample, draw_gt, draw_pred,
                               show, wait_time, out_file, drawn_above, step)

    @staticmethod
    def _scores(data_sample) -> Optional[torch.Tensor]:
        predictions = None if data_sample is None else data_sample.get(
            'pred_instances')
        if predictions is None or 'scores' not in predictions:
            return None
        return predictions.scores

    @classmethod
    def drawing_threshold(cls, data_sample, score_thr: float,
                          top_k: int) -> float:
        """``score_thr``, or just below the ``top_k``-th best score when no
        detection scores above ``score_thr`` (mmdet draws the scores
        greater than the threshold)."""
        scores = cls._scores(data_sample)
        if scores is None or not len(scores) or top_k <= 0 or \
                bool((scores > score_thr).any()):
            return score_thr
        kth = scores.topk(min(top_k, len(scores))).values[-1]
        # the next value below in the scores' own dtype, with which mmdet
        # compares them
        return float(torch.nextafter(kth, kth.new_tensor(-math.inf)))

    @classmethod
    def detections_caption(cls, data_sample, score_thr: float,
                           top_k: int = 0) -> str:
        """The detections panel's caption, scores in percent as mmdet's
        labels give them; says when no detection scores above
        ``score_thr`` and which are drawn instead."""
        scores = cls._scores(data_sample)
        if scores is None:
            return 'detections'
        if bool((scores > score_thr).any()):
            return f'detections > {100 * score_thr:.1f}'
        if len(scores) == 0:
            return 'no detection'
        best = scores.topk(min(max(top_k, 1), len(scores))).values
        if top_k <= 0:
            return (f'no detection > {100 * score_thr:.1f} '
                    f'(best {100 * float(best[0]):.1f})')
        return (f'none > {100 * score_thr:.1f}: best {len(best)} '
                f'({100 * float(best[0]):.1f} to {100 * float(best[-1]):.1f})')

    def draw_texts(self, texts, positions, font_sizes=None, **kwargs):
        """mmengine's ``draw_texts`` with every size at least
        ``min_font_size``."""
        if font_sizes is not None:
            font_sizes = (max(int(font_sizes), self.min_font_size)
                          if isinstance(font_sizes, (int, float)) else
                          [max(int(size), self.min_font_size)
                           for size in font_sizes])
        return super().draw_texts(texts, positions, font_sizes=font_sizes,
                                  **kwargs)

    def _draw_instances(self, image: np.ndarray, instances: InstanceData,
                        classes: Optional[List[str]],
                        palette: Optional[List[tuple]]) -> np.ndarray:
        """mmdet's drawing of ``instances`` under a caption band."""
        drawn = super()._draw_instances(image, instances, classes, palette)
        caption = self._detections_caption if 'scores' in instances \
            else 'ground truth'
        band = np.zeros((CAPTION_HEIGHT, drawn.shape[1], 3), drawn.dtype)
        self.set_image(np.concatenate((band, drawn)))
        self.draw_texts(caption, np.array([4, 3]), colors='white',
                        font_sizes=14)
        return self.get_image()
