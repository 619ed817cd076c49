"""Loading mmengine checkpoints under torch >= 2.6."""
import os


def trust_mmengine_checkpoints() -> None:
    """Let ``torch.load`` read mmengine checkpoints (resume, ``load_from``).

    torch >= 2.6 loads with ``weights_only=True`` unless told otherwise, and
    mmengine 0.10.7 calls ``torch.load`` without ``weights_only``; its
    checkpoints hold a pickled ``HistoryBuffer`` and numpy arrays in their
    message hub, which the weights-only unpickler refuses. This sets
    ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1``, which torch reads at every call
    where ``weights_only`` is not given, unless the user asked for
    ``TORCH_FORCE_WEIGHTS_ONLY_LOAD``. Only load checkpoints you trust.
    """
    if os.environ.get('TORCH_FORCE_WEIGHTS_ONLY_LOAD', '0').lower() in (
            '1', 'y', 'yes', 'true'):
        return
    os.environ.setdefault('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
