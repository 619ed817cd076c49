from .ranking_batch import (ATSSAssignmentMixin, RankingBatch, anchor_batch,
                            check_gt_labels, flatten_levels, fovea_decode,
                            images_then_levels, point_batch, positive_rows,
                            roi_batch)
from .ranking_objectives import (LOC_LOSS_RANGES, ALRPObjective,
                                 APLossObjective, RankingObjective,
                                 TrainingDivergedError, one_vs_all_labels)

__all__ = [
    'ATSSAssignmentMixin', 'RankingBatch', 'anchor_batch', 'check_gt_labels',
    'flatten_levels', 'fovea_decode', 'images_then_levels', 'point_batch',
    'positive_rows', 'roi_batch', 'LOC_LOSS_RANGES', 'ALRPObjective',
    'APLossObjective', 'RankingObjective', 'TrainingDivergedError',
    'one_vs_all_labels'
]
