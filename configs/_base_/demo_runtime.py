# Runtime of the demo configs: ours (mmdet's plus NumClassCheckHook), a log
# line every 10 iterations, one checkpoint kept every 4 epochs, gloo for
# distributed runs on CPU.
_base_ = './default_runtime.py'

default_hooks = dict(
    logger=dict(type='LoggerHook', interval=10),
    checkpoint=dict(type='CheckpointHook', interval=4, max_keep_ckpts=1))
env_cfg = dict(dist_cfg=dict(backend='gloo'))
