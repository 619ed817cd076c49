from .ranking_batch import (ATSSAssignmentMixin, NoCenternessMixin,
                            NoQualityBranchMixin, RankingBatch,
                            RankingRPNMixin, SigmoidRoIHeadMixin,
                            anchor_batch, check_gt_labels, fcos_batch,
                            flatten_levels, fovea_decode, images_then_levels,
                            levels_then_images, paa_batch, point_batch,
                            positive_rows, roi_batch, rpn_losses,
                            rtmdet_batch)
from .ranking_objectives import (LOC_LOSS_RANGES, ALRPObjective,
                                 APLossObjective, RankingObjective,
                                 RankSortObjective, TrainingDivergedError,
                                 one_vs_all_labels)

__all__ = [
    'ATSSAssignmentMixin', 'NoCenternessMixin', 'NoQualityBranchMixin',
    'RankingBatch', 'RankingRPNMixin', 'SigmoidRoIHeadMixin', 'anchor_batch',
    'check_gt_labels', 'fcos_batch', 'flatten_levels', 'fovea_decode',
    'images_then_levels', 'levels_then_images', 'paa_batch', 'point_batch',
    'positive_rows', 'roi_batch', 'rpn_losses', 'rtmdet_batch',
    'LOC_LOSS_RANGES', 'ALRPObjective', 'APLossObjective', 'RankingObjective',
    'RankSortObjective', 'TrainingDivergedError', 'one_vs_all_labels'
]
