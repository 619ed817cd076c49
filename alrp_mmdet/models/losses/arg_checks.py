"""Checks of the ranking losses' config arguments and per-positive
inputs."""
import math

import torch
from torch import Tensor

from .ranking import check_delta


def check_positive(owner: str, name: str, value: float) -> float:
    """``value`` as a float; raises ValueError unless it is a finite
    positive number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not 0 < value < math.inf:
        raise ValueError(f'{owner}: {name} must be a finite positive number, '
                         f'got {value!r}')
    return float(value)


def check_ranking_loss_args(owner: str, use_sigmoid: bool,
                            delta: float) -> float:
    """Checks shared by the ranking-loss modules; returns ``delta``."""
    if use_sigmoid is not True:
        raise ValueError(f'{owner} ranks sigmoid logits: use_sigmoid must be '
                         f'True, got {use_sigmoid!r}')
    return check_delta(delta, owner)


def check_bool(owner: str, name: str, value: bool) -> bool:
    """``value``; raises ValueError unless it is a bool (a string such as
    'no' would otherwise read as True)."""
    if not isinstance(value, bool):
        raise ValueError(f'{owner}: {name} must be True or False, got '
                         f'{value!r}')
    return value


def check_per_positive(name: str, values: Tensor, num_pos: int,
                       hint: str = '') -> None:
    """Raise unless ``values`` is a 1-D floating-point tensor of one finite
    value in [0, 1] per positive (up to float rounding); ``hint`` follows
    "[0, 1]" in the range error."""
    if not isinstance(values, Tensor) or not values.is_floating_point():
        raise TypeError(f'{name} must be a floating-point tensor, got '
                        f'{getattr(values, "dtype", type(values))}')
    if values.dim() != 1 or values.numel() != num_pos:
        raise ValueError(f'{name} must hold one entry per positive '
                         f'({num_pos}), got shape {tuple(values.shape)}')
    if num_pos == 0:
        return
    values = values.detach()
    # one read (each read stalls a GPU stream)
    bad, low, high = torch.stack([
        (~torch.isfinite(values)).sum().double(),
        *(bound.double() for bound in torch.aminmax(values))
    ]).tolist()
    if bad:
        raise ValueError(f'{name} contain {int(bad)} NaN or infinite '
                         'entries')
    tol = max(1e-5, torch.finfo(values.dtype).eps)
    if not (low >= -tol and high <= 1 + tol):
        raise ValueError(f'{name} must lie in [0, 1]{hint}; found values in '
                         f'[{low:.6g}, {high:.6g}]')
