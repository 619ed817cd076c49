from .score_threshold_check_hook import ScoreThresholdCheckHook
from .self_balance_hook import SelfBalanceHook

__all__ = ['ScoreThresholdCheckHook', 'SelfBalanceHook']
