# Paper Table 8 "Faster R-CNN, aLRP Loss" (minival 40.7 AP, 60.7 AP50, 43.3
# AP75, 18.0 AP90, 66.7 oLRP): both stages trained with aLRP Loss and no
# sampling: the RPN ranks all anchors (GIoU, tau 0.7, loss weight 0.2), the
# RoI head ranks all proposals of the batch with a sigmoid classifier (GIoU,
# tau 0.5); each has its own SB weight. 500 scale, lr 0.012, decay at 75/95.
_base_ = [
    './faster_rcnn_r50_fpn_100e_coco500.py',
    '../_base_/models/alrp_faster_rcnn_heads.py'
]

model = {{_base_.alrp_faster_rcnn}}
optim_wrapper = dict(optimizer=dict(lr=0.012))
