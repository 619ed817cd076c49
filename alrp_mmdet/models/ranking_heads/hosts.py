"""The host axis of the ranking heads: what a ranking loss changes in the
mmdet head it trains, beyond the loss.

A ranking head is declared as ``class Head(Objective, Host)``, where the
host is an mmdet head class, or one of them changed by a function here:

- :func:`without_centerness`: an FCOSHead without its centerness branch.
- :func:`without_quality_branch`: an ATSSHead or PAAHead without its
  centerness or IoU branch.
- :func:`with_atss_assignment`: an AnchorHead (RetinaHead) whose targets
  come from ATSS.
- :func:`with_sigmoid_classifier`: an mmdet BBoxHead with ``num_classes``
  sigmoid logits and no background logit.

Each function (:func:`host_change`) returns one class per mmdet class (the
same class on every call), named after it (``FCOSHeadWithoutCenterness``);
forward passes, assigners, coders and inference stay mmdet's.
"""
from functools import cache
from typing import Callable, List, Tuple

from torch import Tensor, nn

from mmdet.models.dense_heads import AnchorHead, ATSSHead, FCOSHead
from mmdet.models.roi_heads.bbox_heads import BBoxHead
from mmdet.models.task_modules.samplers import SamplingResult
from ..losses.sigmoid_classifier import SigmoidClassifierMixin
from .ground_truth import check_gt_boxes, check_gt_labels


def host_change(change: type, name: str) -> Callable[[type], type]:
    """The function ``name`` that applies ``change`` to an mmdet head class.

    It returns one subclass of the host per host (the same class on every
    call), named after it with ``change.suffix``, with the methods of
    ``change`` first; it refuses a host that is not a subclass of
    ``change.required``, or is one of ``change.refused``."""

    @cache
    def apply(host: type) -> type:
        if not (isinstance(host, type) and issubclass(host, change.required)
                ) or issubclass(host, change.refused):
            refused = ''.join(f' (not {cls.__name__})'
                              for cls in change.refused)
            raise TypeError(f'{name} changes a subclass of '
                            f'{change.required.__name__}{refused}, got '
                            f'{host!r}')
        return type(f'{host.__name__}{change.suffix}', (change, host), {
            '__module__': __name__,
            '__doc__': f'{host.__name__} {change.__doc__}'
        })

    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = (f'``host`` (a subclass of {change.required.__name__}) '
                     f'{change.__doc__}')
    return apply


class _DroppedQualityBranch:
    """Drops the quality branch named :attr:`quality_conv` without restating
    mmdet's ``forward_single``: the branch's conv becomes a parameter-free
    identity and ``forward`` drops its output, returning scores and box
    predictions per level."""
    quality_conv: str

    def _init_layers(self) -> None:
        super()._init_layers()
        setattr(self, self.quality_conv, nn.Identity())

    def forward(self, x: Tuple[Tensor, ...]
                ) -> Tuple[List[Tensor], List[Tensor]]:
        """Scores and box predictions of every level."""
        cls_scores, bbox_preds, _ = super().forward(x)
        return cls_scores, bbox_preds


class _NoCenterness(_DroppedQualityBranch):
    """without its centerness branch: the ranking loss's sorting (RS) or
    its localisation-aware ranking (aLRP) takes its place, and inference
    scores are the classification probabilities alone. Works for FCOSHead
    subclasses too (NASFCOSHead); the head has no centerness weights."""
    required, suffix, refused = FCOSHead, 'WithoutCenterness', ()
    quality_conv = 'conv_centerness'


without_centerness = host_change(_NoCenterness, 'without_centerness')


class _NoQualityBranch(_DroppedQualityBranch):
    """without its quality branch (centerness in ATSS, IoU in PAA): the
    ranking loss's sorting takes its place. ``forward`` returns scores and
    box deltas per level; inference has no score factors."""
    required, suffix, refused = ATSSHead, 'WithoutQualityBranch', ()
    quality_conv = 'atss_centerness'


without_quality_branch = host_change(_NoQualityBranch,
                                     'without_quality_branch')


class _ATSSAssignment:
    """with ATSS assignment behind AnchorHead's ``get_targets`` contract
    (the same five outputs). ATSS needs the per-level anchor counts that
    AnchorHead's target methods do not pass; ATSSHead's methods pass them,
    and its first output (the anchors) is dropped so that callers see the
    host's contract. ``train_cfg.assigner`` should be an ``ATSSAssigner``;
    an ATSSHead assigns with ATSS already and is refused.
    """
    required, suffix, refused = AnchorHead, 'WithATSSAssignment', (ATSSHead, )

    def get_targets(self, *args, **kwargs) -> tuple:
        """(labels, label_weights, bbox_targets, bbox_weights, avg_factor)
        per level, as ``AnchorHead.get_targets``, assigned by ATSSHead's
        ``get_targets``."""
        return ATSSHead.get_targets(self, *args, **kwargs)[1:]

    def _get_targets_single(self, *args, **kwargs) -> tuple:
        """ATSSHead's targets of one image."""
        return ATSSHead._get_targets_single(self, *args, **kwargs)

    def get_num_level_anchors_inside(self, *args, **kwargs) -> List[int]:
        """ATSSHead's count of the valid anchors of each level."""
        return ATSSHead.get_num_level_anchors_inside(self, *args, **kwargs)


with_atss_assignment = host_change(_ATSSAssignment, 'with_atss_assignment')


class _SigmoidClassifier:
    """with ``num_classes`` sigmoid logits and no background logit: the
    ranking loss (a ``SigmoidClassifierMixin``) sizes the classifier and
    gives the test-time scores with a zero background column that
    ``multiclass_nms`` drops, so inference is StandardRoIHead's. The gt
    labels and boxes are checked before targets are assigned."""
    required, suffix, refused = BBoxHead, 'WithSigmoidClassifier', ()
    num_classes_key = 'model.roi_head.bbox_head.num_classes'

    @property
    def custom_cls_channels(self) -> bool:
        """The ranking loss sets the classifier width (no background)."""
        return isinstance(self.loss_cls, SigmoidClassifierMixin)

    @property
    def custom_activation(self) -> bool:
        """The ranking loss gives the test-time scores (sigmoid)."""
        return isinstance(self.loss_cls, SigmoidClassifierMixin)

    def get_targets(self, sampling_results: List[SamplingResult], *args,
                    **kwargs) -> tuple:
        """BBoxHead's targets, after checking the gt labels (a label equal
        to ``num_classes`` would silently become background) and boxes."""
        check_gt_labels(self, [res.pos_gt_labels for res in sampling_results])
        check_gt_boxes(self, [res.pos_gt_bboxes for res in sampling_results])
        return super().get_targets(sampling_results, *args, **kwargs)


with_sigmoid_classifier = host_change(_SigmoidClassifier,
                                      'with_sigmoid_classifier')
