from .functional import ClassMatches, coco_matches, optimal_lrp
from .metrics import LRPMetric

__all__ = ['ClassMatches', 'LRPMetric', 'coco_matches', 'optimal_lrp']
