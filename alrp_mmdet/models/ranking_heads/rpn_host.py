"""The RPN as a ranking host: every anchor of the batch in one ranking, the
losses weighted and named apart from the RoI head's."""
from mmdet.models.dense_heads import RPNHead
from ..losses.arg_checks import check_positive


class RankingRPNHead(RPNHead):
    """An RPNHead trained by a ranking objective: every anchor of the
    batch in one ranking (mmdet 3.x labels RPN foreground 0,
    ``num_classes`` 1), no sampler, every loss times ``head_weight`` (which
    also scales the score gradients); :func:`rpn_losses` names the losses.

    Args:
        head_weight: weight of the RPN's losses in the detector (aLRP and
            RS papers: 0.2).
    """

    def __init__(self, *args, head_weight: float = 0.2, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.head_weight = check_positive(type(self).__name__, 'head_weight',
                                          head_weight)
        sampler = (self.train_cfg or {}).get('sampler')
        if sampler is not None and sampler.get('type') != 'PseudoSampler':
            raise ValueError(
                f'{type(self).__name__} ranks every anchor of the batch, but '
                f'model.train_cfg.rpn.sampler is {sampler.get("type")} (it '
                'would rank only the sampled anchors, 256 per image with '
                "mmdet's Faster R-CNN): remove the sampler, e.g. "
                'train_cfg.rpn = rpn_without_sampling from '
                'configs/_base_/models/rpn_without_sampling.py')


def rpn_losses(losses: dict, head_weight: float) -> dict:
    """An RPN's loss dict: every loss times ``head_weight`` under
    ``loss_rpn_*`` and the diagnostics prefixed with ``rpn_``, so that
    TwoStageDetector keeps them apart from the RoI head's."""
    return {
        key.replace('loss_', 'loss_rpn_', 1) if key.startswith('loss_')
        else f'rpn_{key}':
        head_weight * value if key.startswith('loss_') else value
        for key, value in losses.items()
    }
