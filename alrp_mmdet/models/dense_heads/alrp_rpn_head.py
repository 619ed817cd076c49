"""RPN trained with aLRP Loss (paper Sec. 5.4, Table 8)."""
from mmdet.models.dense_heads import RPNHead
from mmdet.registry import MODELS
from .alrp_retina_head import ALRPAnchorHeadMixin


@MODELS.register_module()
class ALRPRPNHead(ALRPAnchorHeadMixin, RPNHead):
    """RPNHead whose whole batch of anchors (no sampling) is ranked by one
    aLRP Loss call.

    mmdet 3.x labels RPN foreground 0 and background 1 (``num_classes`` is
    1), which :func:`~alrp_mmdet.models.utils.positive_rows` follows. The
    loss is ``head_weight * (L_cls + SB * L_loc)``; the weight also scales
    the score gradients, and the RPN's SB weight (its own ``ALRPLoss``) is
    unaffected by it because SB is a ratio. Keys are ``loss_rpn_cls``,
    ``loss_rpn_bbox`` and the diagnostics prefixed with ``rpn_``.

    Args:
        head_weight: weight of the RPN's loss in the detector (paper: 0.2).
        tau: IoU threshold of E_loc; the paper uses the RPN's positive IoU
            threshold, 0.7.
        init_cfg: as RPNHead, with the classifier bias set for a prior
            probability of 0.01 as in the paper's code.
    """

    def __init__(self,
                 *args,
                 head_weight: float = 0.2,
                 tau: float = 0.7,
                 init_cfg: dict = dict(
                     type='Normal',
                     layer='Conv2d',
                     std=0.01,
                     override=dict(
                         type='Normal', name='rpn_cls', std=0.01,
                         bias_prob=0.01)),
                 **kwargs) -> None:
        if not head_weight > 0:
            raise ValueError(f'head_weight must be positive, got '
                             f'{head_weight}')
        super().__init__(*args, tau=tau, init_cfg=init_cfg, **kwargs)
        self.head_weight = head_weight

    def loss_by_feat(self, *args, **kwargs) -> dict:
        """Weighted aLRP loss of the batch under the RPN's key names."""
        losses = super().loss_by_feat(*args, **kwargs)
        loss_cls = losses.pop('loss_cls')
        loss_bbox = losses.pop('loss_bbox')
        return dict(
            loss_rpn_cls=self.head_weight * loss_cls,
            loss_rpn_bbox=self.head_weight * loss_bbox,
            **{f'rpn_{key}': value for key, value in losses.items()})
