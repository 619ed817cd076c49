from .lrp_metric import LRPMetric

__all__ = ['LRPMetric']
