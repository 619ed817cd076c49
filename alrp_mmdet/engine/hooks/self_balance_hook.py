"""Self-balancing of aLRP's localisation weight (paper Sec. 4.2)."""
from typing import Optional

from mmengine.hooks import EMAHook, Hook
from mmengine.runner import IterBasedTrainLoop

from mmdet.registry import HOOKS
from ...models.losses import find_alrp_losses
from ...models.losses.arg_checks import check_positive


@HOOKS.register_module()
class SelfBalanceHook(Hook):
    """Tells every :class:`~alrp_mmdet.models.losses.ALRPLoss` of the model
    when to synchronise its SB totals and when to update its weight to
    mean(L_aLRP) / mean(L_loc) of the epoch that just ended (paper Sec. 4.2;
    Tables 2-4). The state and the update rule live in the loss.

    After every training iteration each loss sums the totals of all ranks
    (a 4-number all-reduce), so the checkpoint written by rank 0 holds the
    run's exact state. Resuming from an epoch-end checkpoint continues with
    the weight the run would have had. A checkpoint written inside an epoch
    (``CheckpointHook(by_epoch=False)``) holds that epoch's partial sums,
    but mmengine's ``EpochBasedTrainLoop`` runs a resumed epoch again from
    its first batch: the partial sums are dropped (with a warning), so that
    every batch of the epoch as run again counts once. (An
    ``IterBasedTrainLoop`` skips the batches already run on resume, so its
    sums are kept.) Runs before the checkpoint hook. With an ``EMAHook``,
    the averaged model holds the same SB state as the trained one
    (:meth:`copy_into_averaged_models`), so checkpoints hold it exactly.

    Args:
        interval: update every ``interval`` training iterations instead of
            at epoch ends (for ``IterBasedTrainLoop``).
        fixed_weight: switch SB off and train with this constant weight
            (the paper's Table 2/3 ablations).
    """
    priority = 'NORMAL'

    def __init__(self, interval: Optional[int] = None,
                 fixed_weight: Optional[float] = None) -> None:
        if interval is not None and (isinstance(interval, bool)
                                     or not isinstance(interval, int)
                                     or interval <= 0):
            raise ValueError('SelfBalanceHook: interval must be a positive '
                             f'integer, got {interval!r}')
        if fixed_weight is not None:
            check_positive('SelfBalanceHook', 'fixed_weight', fixed_weight)
        self.interval = interval
        self.fixed_weight = fixed_weight

    def before_train(self, runner) -> None:
        losses = find_alrp_losses(runner.model)
        if not losses:
            raise RuntimeError('SelfBalanceHook found no ALRPLoss in the '
                               'model; remove the hook or use aLRP heads')
        if self.interval is None and isinstance(runner.train_loop,
                                                IterBasedTrainLoop):
            raise ValueError(
                'SelfBalanceHook updates the SB weight when an epoch ends, '
                'but this run uses IterBasedTrainLoop, whose one epoch ends '
                'with training: give the iterations between updates, '
                "custom_hooks = [dict(type='SelfBalanceHook', interval=N)] "
                '(the paper updates once per pass over the training data)')
        epoch_based = not isinstance(runner.train_loop, IterBasedTrainLoop)
        for name, loss in losses:
            loss.sb_hook_attached = True
            partial = int(loss.epoch_sums[2]) if epoch_based else 0
            if partial:
                # mmengine restarts a resumed epoch from its first batch
                loss.epoch_sums.zero_()
                runner.logger.warning(
                    f'SelfBalanceHook: {name} was loaded from a checkpoint '
                    f'written within an epoch ({partial} rankings with '
                    'positives in its SB sums); mmengine runs that epoch '
                    'again from its first batch, so those rankings are '
                    'dropped from the SB sums and the weight at its end is '
                    'the ratio over the epoch as run again')
            if self.fixed_weight is not None:
                loss.fix_sb_weight(self.fixed_weight)
            runner.logger.info(f'SelfBalanceHook: {name} starts with SB '
                               f'weight {float(loss.sb_weight):.4f}')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        losses = find_alrp_losses(runner.model)
        for _, loss in losses:
            loss.sync_epoch_totals()
        if self.interval and self.every_n_train_iters(runner, self.interval):
            self.update(runner)
        self.copy_into_averaged_models(runner, losses)

    def after_train_epoch(self, runner) -> None:
        if not self.interval:
            self.update(runner)
        self.copy_into_averaged_models(runner,
                                       find_alrp_losses(runner.model))

    @staticmethod
    def copy_into_averaged_models(runner, losses) -> None:
        """Give the averaged model of every ``EMAHook`` the exact SB state.

        With ``update_buffers=True`` (RTMDet's ``ExpMomentumEMA``) the
        averaged copy averages every floating-point buffer, and the hook
        saves that copy as the checkpoint's ``state_dict``: the SB weight
        and sums would be stored as averages over past iterations. They are
        training state, not weights, so each aLRP loss of the averaged copy
        gets the training model's buffers after every iteration and epoch
        end (averaging equal values keeps them, whichever hook runs first).

        Args:
            losses: ``find_alrp_losses(runner.model)``.
        """
        for hook in runner.hooks:
            averaged = getattr(hook, 'ema_model', None)
            if not isinstance(hook, EMAHook) or averaged is None:
                continue
            copies = dict(find_alrp_losses(averaged.module))
            for name, loss in losses:
                for source, copy in zip(loss.buffers(),
                                        copies[name].buffers()):
                    copy.copy_(source)

    def update(self, runner) -> None:
        """Update every loss's weight and log it."""
        for name, loss in find_alrp_losses(runner.model):
            loss.update_sb_weight()
            weight = float(loss.sb_weight)
            runner.message_hub.update_info(f'sb_weight/{name}', weight)
            runner.logger.info(
                f'SelfBalanceHook: SB weight of {name} is now {weight:.4f} '
                f'({int(loss.num_empty_batches)} batches without positives '
                'so far, all ranks)')
