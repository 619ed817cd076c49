"""mmdet's DetLocalVisualizer with captions and readable labels on small
images."""
import math
from typing import List, Optional

import mmcv
import numpy as np
from mmengine.structures import InstanceData

from mmdet.registry import VISUALIZERS
from mmdet.visualization import DetLocalVisualizer

#: height in pixels of the caption band drawn above each panel
CAPTION_HEIGHT = 22


@VISUALIZERS.register_module()
class CaptionedDetLocalVisualizer(DetLocalVisualizer):
    """Draws as :class:`mmdet.visualization.DetLocalVisualizer` does (ground
    truth left, detections right), and

    - captions each panel: "ground truth", "detections > THR", or "no
      detection > THR (best S)" when none passes the drawing threshold;
    - enlarges an image whose longer side is below ``min_size`` pixels by an
      integer factor before drawing (boxes with it), so that mmdet's labels,
      sized for COCO images, stay readable on small images.

    ``tools/test.py --show/--show-dir`` and ``tools/demo.py`` use it.

    Args:
        name: the instance name (mmengine's visualizer manager).
        min_size: longer side, in pixels, below which images are enlarged.
        **kwargs: the other arguments of
            :class:`~mmdet.visualization.DetLocalVisualizer`.
    """

    def __init__(self, name: str = 'visualizer', min_size: int = 400,
                 **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self.min_size = min_size
        self._detections_caption = 'detections'

    def add_datasample(self, name: str, image: np.ndarray,
                       data_sample=None, draw_gt: bool = True,
                       draw_pred: bool = True, show: bool = False,
                       wait_time: float = 0, out_file: Optional[str] = None,
                       pred_score_thr: float = 0.3, step: int = 0) -> None:
        """mmdet's ``add_datasample`` on the enlarged image and sample."""
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
            data_sample, pred_score_thr)
        super().add_datasample(name, image, data_sample, draw_gt, draw_pred,
                               show, wait_time, out_file, pred_score_thr,
                               step)

    @staticmethod
    def detections_caption(data_sample, score_thr: float) -> str:
        """The detections panel's caption; says when no detection scores
        above ``score_thr`` and what the best one scored."""
        predictions = None if data_sample is None else data_sample.get(
            'pred_instances')
        if predictions is None or 'scores' not in predictions:
            return 'detections'
        scores = predictions.scores
        if bool((scores > score_thr).any()):
            return f'detections > {score_thr:.2f}'
        if len(scores) == 0:
            return 'no detection'
        return (f'no detection > {score_thr:.2f} '
                f'(best {float(scores.max()):.2f})')

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
