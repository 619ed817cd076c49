from .alrp_atss_head import ALRPATSSHead
from .alrp_dino_head import ALRPDINOHead
from .alrp_fcos_head import ALRPFCOSHead
from .alrp_fovea_head import ALRPFoveaHead
from .alrp_retina_head import ALRPRetinaHead
from .alrp_rpn_head import ALRPRPNHead
from .alrp_rtmdet_head import ALRPRTMDetSepBNHead
from .ap_loss_fovea_head import APLossFoveaHead
from .ap_loss_retina_head import APLossRetinaHead
from .rank_sort_atss_head import RankSortATSSHead
from .rank_sort_dino_head import RankSortDINOHead
from .rank_sort_fcos_head import RankSortFCOSHead
from .rank_sort_paa_head import RankSortPAAHead
from .rank_sort_rpn_head import RankSortRPNHead
from .rank_sort_rtmdet_head import RankSortRTMDetSepBNHead

__all__ = [
    'ALRPATSSHead', 'ALRPDINOHead', 'ALRPFCOSHead', 'ALRPFoveaHead',
    'ALRPRetinaHead', 'ALRPRPNHead', 'ALRPRTMDetSepBNHead', 'APLossFoveaHead',
    'APLossRetinaHead', 'RankSortATSSHead', 'RankSortDINOHead',
    'RankSortFCOSHead', 'RankSortPAAHead', 'RankSortRPNHead',
    'RankSortRTMDetSepBNHead'
]
