from .alrp_atss_head import ALRPATSSHead
from .alrp_retina_head import ALRPHeadMixin, ALRPRetinaHead, positive_rows

__all__ = ['ALRPATSSHead', 'ALRPHeadMixin', 'ALRPRetinaHead', 'positive_rows']
