"""RoI heads that check every ground-truth box before proposals are
assigned (the ranking box heads' ground-truth check, whatever produced
the proposals)."""
from typing import Tuple

from torch import Tensor, nn

from mmdet.models.roi_heads import CascadeRoIHead, StandardRoIHead
from mmdet.registry import MODELS
from mmdet.structures import SampleList
from mmdet.utils import InstanceList
from ..ranking_heads import check_ground_truth


def check_batch_ground_truth(roi_head: nn.Module,
                             batch_data_samples: SampleList) -> None:
    """Check the labels and boxes of every gt object of the batch with the
    (first) box head of ``roi_head``, naming its config key.

    A box head sees only the gt boxes that its positive RoIs were matched
    to, and one NaN gt box already turns every IoU of its image into NaN
    in the RoI assigner: the image then has no positive RoI, and the
    broken box is never seen. Checked here, it is refused whatever
    produced the proposals (a ranking RPN checks its own, mmdet's RPNHead
    does not).
    """
    box_head = roi_head.bbox_head
    if isinstance(box_head, nn.ModuleList):
        box_head = box_head[0]
    check_ground_truth(box_head,
                       [sample.gt_instances for sample in batch_data_samples],
                       [sample.metainfo for sample in batch_data_samples])


class GroundTruthChecked:
    """Placed before an mmdet RoI head: :func:`check_batch_ground_truth`,
    then the RoI head's own ``loss``."""

    def loss(self, x: Tuple[Tensor], rpn_results_list: InstanceList,
             batch_data_samples: SampleList) -> dict:
        check_batch_ground_truth(self, batch_data_samples)
        return super().loss(x, rpn_results_list, batch_data_samples)


@MODELS.register_module()
class RankingRoIHead(GroundTruthChecked, StandardRoIHead):
    """StandardRoIHead that refuses a non-finite, inverted or zero-size gt
    box (and a gt label outside the box head's classes) of any image before
    assigning proposals; everything else is StandardRoIHead's."""


@MODELS.register_module()
class RankingCascadeRoIHead(GroundTruthChecked, CascadeRoIHead):
    """CascadeRoIHead with :class:`RankingRoIHead`'s ground-truth check."""
