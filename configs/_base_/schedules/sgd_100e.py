# aLRP Loss schedule (reference 1.1): SGD, momentum 0.9, weight decay 1e-4,
# no gradient clipping, linear warm-up over 500 iterations from 0.001 x lr,
# 100 epochs, lr x 0.1 at the milestones (configs override lr and
# milestones), evaluation every epoch (mmdet's runtime checkpoints every
# epoch).
max_epochs = 100
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.008, momentum=0.9, weight_decay=0.0001))
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
        end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_epochs,
        by_epoch=True,
        milestones=[60, 80],
        gamma=0.1)
]
# learning rates are given for 4 GPUs x 8 images (500 scale)
auto_scale_lr = dict(enable=False, base_batch_size=32)
