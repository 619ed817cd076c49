from .alrp_loss import ALRPLoss, alrp_loss, normalise_loc_errors
from .ap_loss import APLoss, ap_loss
from .ranking import (BatchRanking, RankingStats, RankingTerms,
                      error_driven_ranking_loss)

__all__ = [
    'ALRPLoss', 'alrp_loss', 'normalise_loc_errors', 'APLoss', 'ap_loss',
    'BatchRanking', 'RankingStats', 'RankingTerms',
    'error_driven_ranking_loss'
]
