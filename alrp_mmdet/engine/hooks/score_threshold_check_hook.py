"""Say when images with objects get no detection above the test threshold.

A ranking loss fixes the order of the scores, not their level: Rank & Sort
Loss with delta 0.5 can leave correct detections around 0.07, below mmdet's
usual ``score_thr`` of 0.05 early in training, and an evaluation then only
reports a low AP (or mmdet's "The testing results of the whole dataset is
empty"). This hook counts, over all ranks, the validation or test images
that hold ground-truth objects but no detection, and logs a warning that
names the threshold, its config key and what to try.
"""
from typing import Optional, Sequence, Tuple

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmdet.registry import HOOKS


def score_threshold(runner) -> Tuple[Optional[str], Optional[float]]:
    """The config key of the detector's final test score threshold and its
    value, or ``(None, None)`` for a detector without one."""
    model = runner.model.module if is_model_wrapper(runner.model) \
        else runner.model
    test_cfg = getattr(model, 'test_cfg', None) or {}
    if 'rcnn' in test_cfg:
        test_cfg = test_cfg['rcnn'] or {}
        key = 'model.test_cfg.rcnn.score_thr'
    else:
        key = 'model.test_cfg.score_thr'
    if 'score_thr' not in test_cfg:
        return None, None
    return key, float(test_cfg['score_thr'])


@HOOKS.register_module()
class ScoreThresholdCheckHook(Hook):
    """Warns after a validation or test run in which images with
    ground-truth objects got no detection above the test score threshold
    (mmdet keeps scores greater than ``score_thr``). ``tools/train.py``,
    ``tools/test.py`` and ``tools/demo.py`` add it as
    ``default_hooks.score_threshold_check`` (set that to ``None`` to switch
    it off); it never changes a result."""
    priority = 'LOW'

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        self.images_with_objects = 0
        self.images_without_detections = 0

    def _count(self, outputs: Optional[Sequence]) -> None:
        for sample in outputs or []:
            gt = sample.get('gt_instances')
            predictions = sample.get('pred_instances')
            if gt is None or len(gt) == 0 or predictions is None:
                continue
            self.images_with_objects += 1
            self.images_without_detections += int(len(predictions) == 0)

    def _report(self, runner, phase: str) -> None:
        counts = torch.tensor(
            [self.images_with_objects, self.images_without_detections],
            dtype=torch.float64)
        all_reduce(counts)
        with_objects, without = (int(value) for value in counts.tolist())
        if without == 0:
            return
        key, threshold = score_threshold(runner)
        where = f' (score_thr {threshold:g}, {key})' if key else ''
        advice = (f'; to see them, evaluate with --cfg-options {key}=0.0'
                  if key else '')
        runner.logger.warning(
            f'{without} of {with_objects} {phase} images with ground-truth '
            f'objects got no detection above the test threshold{where}. '
            'A ranking loss fixes the order of the scores, not their level: '
            'correct detections of Rank & Sort Loss in particular can score '
            f'below the threshold{advice} (README, "Rank & Sort Loss").')

    def before_val_epoch(self, runner) -> None:
        self._start()

    def before_test_epoch(self, runner) -> None:
        self._start()

    def after_val_iter(self, runner, batch_idx: int, data_batch=None,
                       outputs: Optional[Sequence] = None) -> None:
        self._count(outputs)

    def after_test_iter(self, runner, batch_idx: int, data_batch=None,
                        outputs: Optional[Sequence] = None) -> None:
        self._count(outputs)

    def after_val_epoch(self, runner, metrics=None) -> None:
        self._report(runner, 'validation')

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._report(runner, 'test')
