"""Say when images with objects get no detection above the test threshold.

A ranking loss fixes the order of the scores, not their level: Rank & Sort
Loss with delta 0.5 can leave correct detections around 0.07, below mmdet's
usual ``score_thr`` of 0.05 early in training, and an evaluation then only
reports a low AP (or mmdet's "The testing results of the whole dataset is
empty"). This hook counts, over all ranks, the validation or test images
that hold ground-truth objects but no detection, and logs a warning that
names the threshold, its config key and what to try.
"""
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch import nn

from mmdet.registry import HOOKS
from ...models.losses import ALRPLoss, APLoss, RankSortLoss

#: the ranking losses, by the name the warning gives them
RANKING_LOSSES = {ALRPLoss: 'aLRP Loss', APLoss: 'AP Loss',
                  RankSortLoss: 'Rank & Sort Loss'}


def _unwrapped(runner) -> nn.Module:
    return runner.model.module if is_model_wrapper(runner.model) \
        else runner.model


def classification_losses(model: nn.Module) -> List[nn.Module]:
    """The ``loss_cls`` module of every head of ``model``, once each, in
    module order."""
    losses = []
    for module in model.modules():
        loss = getattr(module, 'loss_cls', None)
        if isinstance(loss, nn.Module) and \
                all(loss is not seen for seen in losses):
            losses.append(loss)
    return losses


def score_threshold(runner) -> Tuple[Optional[str], Optional[float]]:
    """The config key of the detector's final test score threshold and its
    value, or ``(None, None)`` for a detector without one."""
    test_cfg = getattr(_unwrapped(runner), 'test_cfg', None) or {}
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
    it off); it never changes a result. The warning names the run's
    classification loss (a ranking loss leaves scores uncalibrated) and
    gives no threshold advice when the threshold is already 0."""
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
        runner.logger.warning(
            f'{without} of {with_objects} {phase} images with ground-truth '
            f'objects got no detection above the test threshold{where}. '
            + self._advice(runner, key, threshold))

    @staticmethod
    def _advice(runner, key: Optional[str],
                threshold: Optional[float]) -> str:
        """What to try, for the run's classification loss and threshold."""
        if threshold == 0:
            return ('The threshold is already 0 and mmdet keeps scores '
                    'greater than it: every score of these images is 0, so '
                    'a lower threshold cannot help; check that training '
                    'converged (its losses) on these images.')
        lower = (f'; to see them, evaluate with --cfg-options {key}=0.0'
                 if key else '')
        losses = classification_losses(_unwrapped(runner))
        ranking = [RANKING_LOSSES[type(loss)] for loss in losses
                   if type(loss) in RANKING_LOSSES]
        if not ranking:
            trained = ', '.join(type(loss).__name__ for loss in losses)
            return ('The detector scored every box of these images at or '
                    'below the threshold'
                    + (f' (classification loss: {trained})' if trained
                       else '') + f'{lower}.')
        see = (' (docs/faq.md, "Rank & Sort scores and the test threshold")'
               if 'Rank & Sort Loss' in ranking else '')
        return (f'This run trains with {" and ".join(ranking)}, a ranking '
                'loss: it fixes the order of the scores, not their level, '
                f'so correct detections can score below the threshold{lower}'
                f'{see}.')

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
