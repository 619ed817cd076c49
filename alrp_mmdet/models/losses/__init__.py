from .alrp_loss import (ALRPLoss, alrp_loss, find_alrp_losses,
                        normalise_loc_errors)
from .ap_loss import APLoss, ap_loss
from .rank_sort_loss import RankSortLoss, rank_sort_loss
from .ranking import (BatchRanking, LogitRange, LogitRangeError,
                      RankingStats, RankingTerms, error_driven_ranking_loss,
                      measure_logits)
from .ranking_loss_output import RankingLossOutput

__all__ = [
    'ALRPLoss', 'alrp_loss', 'find_alrp_losses', 'normalise_loc_errors',
    'APLoss', 'ap_loss', 'RankSortLoss', 'rank_sort_loss', 'BatchRanking',
    'LogitRange', 'LogitRangeError', 'RankingStats', 'RankingTerms',
    'error_driven_ranking_loss', 'measure_logits', 'RankingLossOutput'
]
