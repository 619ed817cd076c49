"""Counting the device-to-host synchronisations a piece of code would make
on a GPU, on any device: the operations whose result the host must wait
for (a value read into Python, or an output size that depends on values).
"""
from collections import Counter

import torch
from torch.overrides import TorchFunctionMode
from torch.utils._python_dispatch import TorchDispatchMode

aten = torch.ops.aten
#: operations that read a value into Python (item, bool, int, float of a
#: tensor) or whose output size depends on the values
SYNCING_OPS = {
    aten._local_scalar_dense.default: 'item/bool/int/float',
    aten.nonzero.default: 'nonzero',
    aten.masked_select.default: 'masked_select',
    aten.equal.default: 'equal',
    aten.is_nonzero.default: 'is_nonzero',
    aten._unique2.default: 'unique',
    aten.unique_dim.default: 'unique',
    aten.unique_consecutive.default: 'unique',
}
#: Python-level reads that copy a tensor to the host
SYNCING_METHODS = {'tolist', 'numpy', '__array__'}


def _bool_indexed(args) -> bool:
    """Whether aten.index / index_put_ got a boolean mask (which a GPU turns
    into indices with a nonzero)."""
    indices = args[1] if len(args) > 1 else ()
    return any(isinstance(index, torch.Tensor) and
               index.dtype == torch.bool for index in indices or ())


class _Dispatch(TorchDispatchMode):

    def __init__(self, counts: Counter):
        super().__init__()
        self.counts = counts

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if func in SYNCING_OPS:
            self.counts[SYNCING_OPS[func]] += 1
        elif func in (aten.index.Tensor, aten.index_put_.default,
                      aten.index_put.default) and _bool_indexed(args):
            self.counts['boolean-mask indexing'] += 1
        elif func is aten.repeat_interleave.Tensor and \
                kwargs.get('output_size') is None:
            self.counts['repeat_interleave'] += 1
        return func(*args, **kwargs)


class _Function(TorchFunctionMode):

    def __init__(self, counts: Counter):
        super().__init__()
        self.counts = counts

    def __torch_function__(self, func, types, args=(), kwargs=None):
        name = getattr(func, '__name__', '')
        if name in SYNCING_METHODS:
            self.counts[name] += 1
        return func(*args, **(kwargs or {}))


class HostSyncCounter:
    """``with HostSyncCounter() as syncs: ...`` counts, by kind, the
    synchronising operations of the block (``syncs.total``)."""

    def __init__(self):
        self.counts = Counter()
        self._modes = [_Function(self.counts), _Dispatch(self.counts)]

    def __enter__(self) -> 'HostSyncCounter':
        for mode in self._modes:
            mode.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        for mode in reversed(self._modes):
            mode.__exit__(*exc)

    @property
    def total(self) -> int:
        return sum(self.counts.values())
