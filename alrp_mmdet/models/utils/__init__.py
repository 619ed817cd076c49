from .row_layout import (flatten_levels, image_major_anchors,
                         images_then_levels, level_major_points,
                         levels_then_images)

__all__ = [
    'flatten_levels', 'image_major_anchors', 'images_then_levels',
    'level_major_points', 'levels_then_images'
]
