"""What mmdet's BBoxHead asks of a loss that sizes its classifier."""
import torch
from torch import Tensor


class SigmoidClassifierMixin:
    """For ranking losses used as a RoI head's ``loss_cls``: one sigmoid
    logit per class and no background logit; mmdet's BBoxHead reads these
    methods when the head reports ``custom_cls_channels`` /
    ``custom_activation``."""

    def get_cls_channels(self, num_classes: int) -> int:
        """Classifier width: one sigmoid logit per class."""
        return num_classes

    def get_activation(self, cls_score: Tensor) -> Tensor:
        """Test-time scores: the sigmoid of each class plus a zero
        background column, which ``multiclass_nms`` drops."""
        scores = cls_score.sigmoid()
        return torch.cat([scores, scores.new_zeros(len(scores), 1)], dim=1)
