from .checkpoint import trust_mmengine_checkpoints
from .launch import add_common_args, load_config, setup_cpu_distributed
from .testdev import apply_testdev, package_submission, testdev_prefix

__all__ = [
    'add_common_args', 'apply_testdev', 'load_config', 'package_submission',
    'setup_cpu_distributed', 'testdev_prefix', 'trust_mmengine_checkpoints'
]
