"""Build-time checks of the ranking-loss modules' config arguments."""
import math


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
    return check_positive(owner, 'delta', delta)
