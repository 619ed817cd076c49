from .alrp_convfc_bbox_head import ALRPShared2FCBBoxHead
from .rank_sort_convfc_bbox_head import RankSortShared2FCBBoxHead

__all__ = ['ALRPShared2FCBBoxHead', 'RankSortShared2FCBBoxHead']
