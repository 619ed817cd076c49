from .ranking_heads import (LOC_LOSS_RANGES, ALRPHeadMixin, APLossHeadMixin,
                            RankingHeadMixin, one_vs_all_labels,
                            positive_rows)

__all__ = [
    'LOC_LOSS_RANGES', 'ALRPHeadMixin', 'APLossHeadMixin',
    'RankingHeadMixin', 'one_vs_all_labels', 'positive_rows'
]
