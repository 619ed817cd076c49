from .checkpoint import (CheckpointReadError, UnsafeCheckpointError,
                         register_safe_checkpoint_loading)
from .data_config import (DataConfigError, check_data_settings,
                          data_setting_problems)
from .data_files import (DatasetFiles, annotation_reports, check_data_files,
                         coco_dataset_files)
from .datasets import EmptyDatasetError, empty_datasets_explained
from .launch import (add_common_args, add_score_threshold_check,
                     complete_config, load_config, setup_cpu_distributed,
                     shut_down_distributed)
from .resume import ResumeMismatchError, check_resume
from .testdev import apply_testdev, package_submission, testdev_prefix

__all__ = [
    'CheckpointReadError', 'DataConfigError', 'DatasetFiles',
    'EmptyDatasetError', 'ResumeMismatchError', 'UnsafeCheckpointError',
    'add_common_args', 'add_score_threshold_check', 'annotation_reports',
    'apply_testdev',
    'check_data_files', 'check_data_settings', 'check_resume',
    'coco_dataset_files', 'complete_config', 'data_setting_problems',
    'empty_datasets_explained', 'load_config',
    'package_submission', 'register_safe_checkpoint_loading',
    'setup_cpu_distributed', 'shut_down_distributed', 'testdev_prefix'
]
