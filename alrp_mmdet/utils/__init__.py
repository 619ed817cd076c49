from .checkpoint import trust_mmengine_checkpoints
from .data_config import (DataConfigError, check_data_settings,
                          data_setting_problems)
from .datasets import EmptyDatasetError, empty_datasets_explained
from .launch import (add_common_args, add_score_threshold_check,
                     complete_config, load_config, setup_cpu_distributed,
                     shut_down_distributed)
from .testdev import apply_testdev, package_submission, testdev_prefix

__all__ = [
    'DataConfigError', 'EmptyDatasetError', 'add_common_args',
    'add_score_threshold_check', 'apply_testdev', 'check_data_settings',
    'complete_config', 'data_setting_problems', 'empty_datasets_explained',
    'load_config', 'package_submission', 'setup_cpu_distributed',
    'shut_down_distributed', 'testdev_prefix', 'trust_mmengine_checkpoints'
]
