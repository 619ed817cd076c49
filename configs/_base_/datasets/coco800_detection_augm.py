# COCO at the "800" scale of aLRP Loss (reference 1.1): as the 500 scale but
# training at 800x800, testing with shorter side 800 (longer <= 1333), 4
# images per GPU (4 GPUs x 4 = 16 per iteration).
_base_ = './coco500_detection_augm.py'

_base_.train_pipeline[5].scale = (800, 800)  # the Resize step
_base_.test_pipeline[1].scale = (1333, 800)  # the Resize step
train_dataloader = dict(
    batch_size=4, dataset=dict(pipeline=_base_.train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=_base_.test_pipeline))
test_dataloader = val_dataloader
