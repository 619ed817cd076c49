
import torch

from alrp_mmdet.models.utils import flatten_levels, images_then_levels
from ..head_inputs import image_major


def test_flatten_levels_is_image_major_then_level_location_anchor():
    gen = torch.Generator().manual_seed(0)
    levels = [torch.randn(2, 3 * 4, h, h, generator=gen) for h in (4, 2)]
    rows = flatten_levels(levels, 4)
    assert torch.equal(rows, image_major(levels, 4))
    # row 0 of image 1 follows all 16 + 4 locations x 3 anchors of image 0
    assert torch.equal(rows[60], levels[0][1, :4, 0, 0])


def test_images_then_levels_matches_flatten_levels():
    per_level = [torch.arange(2 * n).reshape(2, n) for n in (5, 3)]
    assert images_then_levels(per_level).tolist() == [
        0, 1, 2, 3, 4, 0, 1, 2, 5, 6, 7, 8, 9, 3, 4, 5]
