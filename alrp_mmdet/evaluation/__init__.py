from .functional import (ClassMatches, coco_matches, optimal_lrp,
                         ranking_correlation)
from .metrics import LRPMetric

__all__ = [
    'ClassMatches', 'LRPMetric', 'coco_matches', 'optimal_lrp',
    'ranking_correlation'
]
