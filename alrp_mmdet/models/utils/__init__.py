from .divergence import TrainingDivergedError, check_divergence
from .ranking_batch import (QueryBatch, RankingBatch, anchor_batch,
                            check_ground_truth, check_gt_labels,
                            denoising_query_batch,
                            fcos_batch, flatten_levels, fovea_decode,
                            images_then_levels, levels_then_images,
                            matched_query_batch, paa_batch, point_batch,
                            positive_rows, roi_batch, rtmdet_batch)
from .ranking_hosts import (RankingRPNHead, rpn_losses, with_atss_assignment,
                            with_sigmoid_classifier, without_centerness,
                            without_quality_branch)
from .ranking_objectives import (DETR_BOX_LOSSES, LOC_LOSS_RANGES,
                                 ALRPObjective,
                                 APLossObjective, RankingObjective,
                                 RankSortObjective, alrp_batch_losses,
                                 alrp_query_losses, ap_loss_batch_losses,
                                 box_weights, loc_loss_of, one_vs_all_labels,
                                 rank_sort_batch_losses,
                                 rank_sort_mask_loss, rank_sort_query_losses,
                                 value_balance)

__all__ = [
    'DETR_BOX_LOSSES', 'box_weights',
    'QueryBatch', 'denoising_query_batch', 'matched_query_batch',
    'alrp_query_losses', 'loc_loss_of', 'rank_sort_query_losses',
    'value_balance', 'rank_sort_mask_loss', 'RankingBatch', 'anchor_batch',
    'check_ground_truth', 'check_gt_labels', 'fcos_batch', 'flatten_levels',
    'fovea_decode',
    'images_then_levels', 'levels_then_images', 'paa_batch', 'point_batch',
    'positive_rows', 'roi_batch', 'rtmdet_batch', 'RankingRPNHead',
    'rpn_losses', 'with_atss_assignment', 'with_sigmoid_classifier',
    'without_centerness', 'without_quality_branch', 'LOC_LOSS_RANGES',
    'ALRPObjective', 'APLossObjective', 'RankingObjective',
    'RankSortObjective', 'TrainingDivergedError', 'alrp_batch_losses',
    'ap_loss_batch_losses', 'check_divergence', 'one_vs_all_labels',
    'rank_sort_batch_losses'
]
