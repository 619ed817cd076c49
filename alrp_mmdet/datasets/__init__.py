from .synthetic import generate_dataset, generate_split

__all__ = ['generate_dataset', 'generate_split']
