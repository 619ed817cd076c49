from .alrp_atss_head import ALRPATSSHead
from .alrp_fcos_head import ALRPFCOSHead
from .alrp_fovea_head import ALRPFoveaHead
from .alrp_retina_head import ALRPRetinaHead
from .alrp_rpn_head import ALRPRPNHead
from .ap_loss_fovea_head import APLossFoveaHead
from .ap_loss_retina_head import APLossRetinaHead
from .rank_sort_atss_head import RankSortATSSHead
from .rank_sort_fcos_head import RankSortFCOSHead
from .rank_sort_paa_head import RankSortPAAHead
from .rank_sort_rpn_head import RankSortRPNHead

__all__ = [
    'ALRPATSSHead', 'ALRPFCOSHead', 'ALRPFoveaHead', 'ALRPRetinaHead',
    'ALRPRPNHead', 'APLossFoveaHead', 'APLossRetinaHead', 'RankSortATSSHead',
    'RankSortFCOSHead', 'RankSortPAAHead', 'RankSortRPNHead'
]
