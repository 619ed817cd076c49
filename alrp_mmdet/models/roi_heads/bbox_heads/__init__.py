from .alrp_convfc_bbox_head import ALRPShared2FCBBoxHead

__all__ = ['ALRPShared2FCBBoxHead']
