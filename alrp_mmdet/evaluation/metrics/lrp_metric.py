"""COCO metric plus AP90 and optimal LRP (aLRP paper Tables 2, 5, 7, 8)."""
import os.path as osp
import tempfile
from typing import Dict, List

import numpy as np
from mmengine.logging import MMLogger

from mmdet.datasets.api_wrappers import COCOeval
from mmdet.evaluation import CocoMetric
from mmdet.registry import METRICS
from ..functional import ClassMatches, coco_matches, optimal_lrp

LRP_KEYS = ('oLRP', 'oLRP_loc', 'oLRP_FP', 'oLRP_FN')


@METRICS.register_module()
class LRPMetric(CocoMetric):
    """mmdet's COCO box metric extended with AP at IoU 0.90 and the optimal
    LRP (Oksuz et al., ECCV 2018; aLRP paper Eq. 6) with its components,
    per class and averaged over classes with ground truth.

    Use it instead of ``CocoMetric`` (it reports CocoMetric's keys too) or
    next to it; its keys carry the prefix ``lrp``. The per-class table is
    logged; ``classwise=True`` also returns per-class keys.

    Args:
        tau: IoU threshold of a true positive for LRP (paper: 0.5).
        max_dets: detections per image for AP90 and LRP (COCO: 100).
        **kwargs: :class:`~mmdet.evaluation.CocoMetric` arguments; only the
            'bbox' metric is supported.
    """
    default_prefix = 'lrp'

    def __init__(self, tau: float = 0.5, max_dets: int = 100,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if self.metrics != ['bbox']:
            raise ValueError(f'LRPMetric evaluates boxes only: metric must '
                             f"be 'bbox', got {self.metrics}")
        if not 0 <= tau < 1:
            raise ValueError(f'tau must be in [0, 1), got {tau}')
        self.tau = tau
        self.max_dets = max_dets

    def compute_metrics(self, results: list) -> Dict[str, float]:
        eval_results = super().compute_metrics(results)
        if self.format_only:
            return eval_results
        preds = [pred for _, pred in results]
        per_class = self.lrp_per_class(preds)
        names = self.class_names()
        with_gt = [c for c in per_class if not np.isnan(c['oLRP'])]
        eval_results['bbox_AP90'] = round(
            float(np.mean([c['AP90'] for c in with_gt])) if with_gt else 0.0,
            4)
        for key in LRP_KEYS:
            values = [c[key] for c in with_gt if not np.isnan(c[key])]
            eval_results[key] = round(float(np.mean(values)), 4) \
                if values else float('nan')
        self.log_table(names, per_class, self.tau)
        if self.classwise:
            for name, row in zip(names, per_class):
                for key in ('AP90', ) + LRP_KEYS:
                    eval_results[f'{name}_{key}'] = round(row[key], 4)
        return eval_results

    def class_names(self) -> List[str]:
        """The names of ``self.cat_ids`` as the annotation file gives
        them: mmdet matches the config's classes to the file's categories
        in the file's order, which need not be the config's."""
        return [self._coco_api.cats[cat_id]['name'] for cat_id in self.cat_ids]

    def lrp_per_class(self, preds: List[dict]) -> List[dict]:
        """AP90 and optimal LRP of each class, in ``self.cat_ids`` order."""
        with tempfile.TemporaryDirectory() as tmp_dir:
            files = self.results2json(preds, osp.join(tmp_dir, 'lrp'))
            try:
                coco_dt = self._coco_api.loadRes(files['bbox'])
            except IndexError:  # no detection at all
                coco_dt = None
        if coco_dt is None:
            return [self._no_detections(cat_id) for cat_id in self.cat_ids]
        coco_eval = COCOeval(self._coco_api, coco_dt, 'bbox')
        coco_eval.params.catIds = self.cat_ids
        coco_eval.params.imgIds = self.img_ids
        coco_eval.params.maxDets = [self.max_dets]
        coco_eval.evaluate()
        coco_eval.accumulate()
        # precision: (iou thresholds, recalls, classes, areas, max dets)
        iou90 = int(np.flatnonzero(np.isclose(coco_eval.params.iouThrs,
                                              0.9))[0])
        matches = coco_matches(coco_eval, self.tau)
        rows = []
        for k, cat_id in enumerate(self.cat_ids):
            precision = coco_eval.eval['precision'][iou90, :, k, 0, 0]
            precision = precision[precision > -1]
            row = optimal_lrp(matches[cat_id], self.tau)
            row['AP90'] = float(precision.mean()) if len(precision) else \
                float('nan')
            rows.append(row)
        return rows

    def _no_detections(self, cat_id: int) -> dict:
        num_gts = len(self._coco_api.get_ann_ids(
            img_ids=self.img_ids, cat_ids=[cat_id], iscrowd=False))
        row = optimal_lrp(ClassMatches(np.zeros(0), np.zeros(0), num_gts),
                          self.tau)
        row['AP90'] = 0.0 if num_gts else float('nan')
        return row

    @staticmethod
    def log_table(names: List[str], per_class: List[dict],
                  tau: float) -> None:
        lines = ['class'.ljust(16) + ''.join(
            k.rjust(10) for k in ('AP90', ) + LRP_KEYS)]
        for name, row in zip(names, per_class):
            lines.append(name[:15].ljust(16) + ''.join(
                f'{row[k]:10.4f}' for k in ('AP90', ) + LRP_KEYS))
        MMLogger.get_current_instance().info(
            'Per-class AP90 and optimal LRP (tau %.2f):\n%s' %
            (tau, '\n'.join(lines)))
