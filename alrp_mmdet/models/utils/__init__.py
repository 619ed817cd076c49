from .ranking_batch import (ATSSAssignmentMixin, NoQualityBranchMixin,
                            RankingBatch, RankingRPNMixin,
                            SigmoidRoIHeadMixin, anchor_batch,
                            check_gt_labels, flatten_levels, fovea_decode,
                            images_then_levels, paa_batch, point_batch,
                            positive_rows, roi_batch, rpn_losses)
from .ranking_objectives import (LOC_LOSS_RANGES, ALRPObjective,
                                 APLossObjective, RankingObjective,
                                 RankSortObjective, TrainingDivergedError,
                                 one_vs_all_labels)

__all__ = [
    'ATSSAssignmentMixin', 'NoQualityBranchMixin', 'RankingBatch',
    'RankingRPNMixin', 'SigmoidRoIHeadMixin', 'anchor_batch',
    'check_gt_labels', 'flatten_levels', 'fovea_decode', 'images_then_levels',
    'paa_batch', 'point_batch', 'positive_rows', 'roi_batch', 'rpn_losses',
    'LOC_LOSS_RANGES', 'ALRPObjective', 'APLossObjective', 'RankingObjective',
    'RankSortObjective', 'TrainingDivergedError', 'one_vs_all_labels'
]
