# Paper Table 2 "aLRP Loss, IoU, SB" (minival 38.7 AP) and Table 3's IoU SB
# column: the GIoU config with the IoU loss, E_loc = (1 - IoU) / (1 - 0.5).
# Table 3's constant weights w_r (IoU: 1 -> 36.9, 2 -> 37.8, 5 -> 38.5,
# 10 -> 38.6, 15 -> 38.3, 20 -> 37.1, 25 -> 36.0) switch SB off with
#   --cfg-options custom_hooks.0.fixed_weight=<w_r>
_base_ = './alrp_loss_retinanet_r50_fpn_100e_coco500.py'

model = dict(
    bbox_head=dict(
        loss_bbox=dict(_delete_=True, type='IoULoss', mode='linear',
                       reduction='none')))
