from .checkpoint import trust_mmengine_checkpoints
from .datasets import EmptyDatasetError, empty_datasets_explained
from .launch import add_common_args, load_config, setup_cpu_distributed
from .testdev import apply_testdev, package_submission, testdev_prefix

__all__ = [
    'EmptyDatasetError', 'add_common_args', 'apply_testdev',
    'empty_datasets_explained', 'load_config', 'package_submission',
    'setup_cpu_distributed', 'testdev_prefix', 'trust_mmengine_checkpoints'
]
