"""The layer every ranking head stands on, one module per axis of
docs/design.md: objectives (what a batch's loss is), hosts (what a ranking
loss changes in the mmdet head), gatherers (how a batch is gathered: dense,
RoI, DETR queries) and the checks every head makes (ground truth,
divergence)."""
from .dense_gatherers import (anchor_batch, atss_batch, fcos_batch,
                              fovea_decode, paa_batch, point_batch,
                              rtmdet_batch)
from .divergence import TrainingDivergedError, check_divergence
from .ground_truth import check_ground_truth, check_gt_boxes, check_gt_labels
from .hosts import (with_atss_assignment, with_sigmoid_classifier,
                    without_centerness, without_quality_branch)
from .objectives import (LOC_LOSS_RANGES, ALRPObjective, APLossObjective,
                         RankingObjective, RankSortBatchResult,
                         RankSortObjective, alrp_batch_losses,
                         ap_loss_batch_losses, box_weights, loc_loss_of,
                         one_vs_all_labels, rank_sort_batch_losses,
                         rank_sort_losses_and_weights, value_balance,
                         weighted_mean)
from .query_gatherers import (QueryBatch, denoising_query_batch,
                              matched_query_batch)
from .query_losses import (DETR_BOX_LOSSES, alrp_query_losses,
                           rank_sort_query_losses)
from .ranking_batch import RankingBatch, positive_rows
from .roi_gatherer import roi_batch
from .rpn_host import RankingRPNHead, rpn_losses

__all__ = [
    'anchor_batch', 'atss_batch', 'fcos_batch', 'fovea_decode', 'paa_batch',
    'point_batch', 'rtmdet_batch', 'TrainingDivergedError', 'check_divergence',
    'check_ground_truth', 'check_gt_boxes', 'check_gt_labels',
    'with_atss_assignment', 'with_sigmoid_classifier', 'without_centerness',
    'without_quality_branch', 'LOC_LOSS_RANGES', 'ALRPObjective',
    'APLossObjective', 'RankingObjective', 'RankSortObjective',
    'alrp_batch_losses', 'ap_loss_batch_losses', 'box_weights',
    'loc_loss_of', 'one_vs_all_labels', 'rank_sort_batch_losses',
    'RankSortBatchResult', 'rank_sort_losses_and_weights',
    'value_balance', 'weighted_mean', 'QueryBatch', 'denoising_query_batch',
    'matched_query_batch', 'DETR_BOX_LOSSES', 'alrp_query_losses',
    'rank_sort_query_losses', 'RankingBatch', 'positive_rows', 'roi_batch',
    'RankingRPNHead', 'rpn_losses'
]
