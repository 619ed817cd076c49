# Paper Table 8 "Faster R-CNN, CE + GIoU" (minival 38.2 AP, 58.2 AP50, 41.3
# AP75, 13.7 AP90, 69.0 oLRP): the CE + L1 baseline with the RoI head's box
# loss replaced by GIoU Loss (weight 10) on decoded boxes, lr 0.04.
_base_ = './faster_rcnn_r50_fpn_100e_coco500.py'

model = dict(
    roi_head=dict(
        bbox_head=dict(
            reg_decoded_bbox=True,
            loss_bbox=dict(type='GIoULoss', loss_weight=10.0))))
