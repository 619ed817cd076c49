from .bbox_heads import *  # noqa: F401,F403
from .rank_sort_roi_head import RankSortRoIHead
from .ranking_roi_head import (RankingCascadeRoIHead, RankingRoIHead,
                               check_batch_ground_truth)

__all__ = [
    'RankSortRoIHead', 'RankingCascadeRoIHead', 'RankingRoIHead',
    'check_batch_ground_truth'
]
