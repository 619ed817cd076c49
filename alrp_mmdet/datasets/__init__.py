from .synthetic import class_names, generate_dataset, generate_split

__all__ = ['class_names', 'generate_dataset', 'generate_split']
