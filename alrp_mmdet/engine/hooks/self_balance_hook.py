"""Self-balancing of aLRP's localisation weight (paper Sec. 4.2)."""
from typing import List, Optional, Tuple

from mmengine.dist import all_reduce
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmdet.registry import HOOKS
from ...models.losses import ALRPLoss


@HOOKS.register_module()
class SelfBalanceHook(Hook):
    """Sets every aLRP loss's SB weight to mean(L_aLRP) / mean(L_loc) of the
    epoch that just ended (paper Sec. 4.2; Table 3 and 4).

    Each :class:`ALRPLoss` in the model (dense heads, RPN, RoI head) keeps
    its own weight and epoch sums as buffers; this hook sums the epoch sums
    over all ranks, so every rank sets the same weight, and logs it. The
    buffers travel in checkpoints, so resume continues with the weight the
    run would have had. Runs before the checkpoint hook at epoch end.

    Args:
        interval: update every ``interval`` training iterations instead of
            at epoch ends (for ``IterBasedTrainLoop``).
        fixed_weight: switch SB off and train with this constant weight
            (the paper's Table 2/3 ablations).
    """
    priority = 'NORMAL'

    def __init__(self, interval: Optional[int] = None,
                 fixed_weight: Optional[float] = None) -> None:
        if interval is not None and interval <= 0:
            raise ValueError(f'interval must be positive, got {interval}')
        if fixed_weight is not None and not fixed_weight > 0:
            raise ValueError(f'fixed_weight must be positive, got '
                             f'{fixed_weight}')
        self.interval = interval
        self.fixed_weight = fixed_weight

    @staticmethod
    def alrp_loss_modules(runner) -> List[Tuple[str, ALRPLoss]]:
        """(name, module) of every aLRP loss in the unwrapped model."""
        model = runner.model
        if is_model_wrapper(model):
            model = model.module
        return [(name, module) for name, module in model.named_modules()
                if isinstance(module, ALRPLoss)]

    def before_train(self, runner) -> None:
        losses = self.alrp_loss_modules(runner)
        if not losses:
            raise RuntimeError('SelfBalanceHook found no ALRPLoss in the '
                               'model; remove the hook or use aLRP heads')
        if self.fixed_weight is not None:
            for _, loss in losses:
                loss.sb_weight.fill_(self.fixed_weight)
        for name, loss in losses:
            runner.logger.info(f'SelfBalanceHook: {name} starts with SB '
                               f'weight {float(loss.sb_weight):.4f}')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if self.interval and self.every_n_train_iters(runner, self.interval):
            self.update(runner)

    def after_train_epoch(self, runner) -> None:
        if not self.interval:
            self.update(runner)

    def update(self, runner) -> None:
        """All-reduce the sums and set each weight (SB off: just reset)."""
        for name, loss in self.alrp_loss_modules(runner):
            all_reduce(loss.epoch_sums, op='sum')
            if self.fixed_weight is None:
                loss.update_sb_weight()
            else:
                loss.epoch_sums.zero_()
            weight = float(loss.sb_weight)
            runner.message_hub.update_info(f'sb_weight/{name}', weight)
            runner.logger.info(f'SelfBalanceHook: SB weight of {name} is '
                               f'now {weight:.4f}')
