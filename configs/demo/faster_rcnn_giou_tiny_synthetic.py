# Faster R-CNN with GIoU Loss (weight 10) in the RoI head on the synthetic
# data, as the paper's Table 8 "CE + GIoU" baseline.
_base_ = './faster_rcnn_tiny_synthetic.py'

model = dict(
    roi_head=dict(
        bbox_head=dict(
            reg_decoded_bbox=True,
            loss_bbox=dict(type='GIoULoss', loss_weight=10.0))))
