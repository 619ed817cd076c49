from .checkpoint import trust_mmengine_checkpoints
from .launch import add_common_args, load_config, setup_cpu_distributed

__all__ = [
    'add_common_args', 'load_config', 'setup_cpu_distributed',
    'trust_mmengine_checkpoints'
]
