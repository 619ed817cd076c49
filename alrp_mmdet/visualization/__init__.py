from .captioned_visualizer import CaptionedDetLocalVisualizer

__all__ = ['CaptionedDetLocalVisualizer']
