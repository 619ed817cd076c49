from .synthetic import (DEMO_DATA, check_dataset, dataset_spec,
                        generate_dataset, generate_split)

__all__ = [
    'DEMO_DATA', 'check_dataset', 'dataset_spec', 'generate_dataset',
    'generate_split'
]
