"""A clear error for a ranking loss called by a head that is not a ranking
head.

mmdet's heads call ``loss_cls(scores, labels, weights, avg_factor=...)``
once per level or image, element by element; a ranking loss takes the whole
batch's logits and ranking labels in one call from one of this package's
heads. Without this check such a config fails deep inside the first
iteration with ``forward() got an unexpected keyword argument
'avg_factor'``.
"""
import inspect
from typing import List, Optional

from torch import nn

from mmdet.registry import MODELS


def refuse_element_wise_call(loss: nn.Module, **element_wise_args) -> None:
    """Raise a TypeError naming the head to use when a ranking loss's
    ``forward`` got any of mmdet's element-wise arguments (``weight``,
    ``avg_factor``, ``reduction_override``), that is, when an mmdet head
    called it like an element-wise loss."""
    if all(value is None for value in element_wise_args.values()):
        return
    loss_name = type(loss).__name__
    heads = ranking_heads_of(type(loss))
    caller = _calling_head(loss)
    if caller is None:
        advice = f'use one of: {", ".join(heads)}'
    else:
        matching = [name for name in heads if name.endswith(caller)]
        advice = (f"use type='{matching[0]}' in place of type='{caller}'"
                  if matching else
                  f'{caller} has no ranking version here; heads for '
                  f'{loss_name}: {", ".join(heads)}')
    raise TypeError(
        f'{loss_name} ranks the logits of the whole batch in one call from '
        f"one of this package's heads, but {caller or 'a head'} called it "
        f'as an element-wise mmdet loss (with avg_factor): {advice}')


def ranking_heads_of(loss_type: type) -> List[str]:
    """Registered heads whose ranking objective uses ``loss_type``."""
    return sorted(name for name, cls in MODELS.module_dict.items()
                  if getattr(cls, 'loss_type', None) is loss_type)


def _calling_head(loss: nn.Module) -> Optional[str]:
    """Class name of the module on the call stack that holds ``loss`` as
    its ``loss_cls``."""
    for frame in inspect.stack()[2:]:
        caller = frame.frame.f_locals.get('self')
        if isinstance(caller, nn.Module) and \
                getattr(caller, 'loss_cls', None) is loss:
            return type(caller).__name__
    return None
