from .alrp_loss import (ALRPLoss, ALRPLossOutput, alrp_loss, find_alrp_losses,
                        normalise_loc_errors)
from .ap_loss import APLoss, APLossOutput, ap_loss
from .rank_sort_loss import RankSortLoss, RankSortLossOutput, rank_sort_loss
from .ranking import (BatchRanking, RankingStats, RankingTerms,
                      error_driven_ranking_loss)

__all__ = [
    'ALRPLoss', 'ALRPLossOutput', 'alrp_loss', 'find_alrp_losses',
    'normalise_loc_errors', 'APLoss', 'APLossOutput', 'ap_loss',
    'RankSortLoss', 'RankSortLossOutput', 'rank_sort_loss', 'BatchRanking',
    'RankingStats', 'RankingTerms', 'error_driven_ranking_loss'
]
