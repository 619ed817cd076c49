from .bbox_heads import *  # noqa: F401,F403
from .rank_sort_roi_head import RankSortRoIHead

__all__ = ['RankSortRoIHead']
