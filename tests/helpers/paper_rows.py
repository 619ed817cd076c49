"""The aLRP paper's COCO table rows and the settings each config must hold."""
R50 = ('ResNet', 50, 'torchvision://resnet50')
R101 = ('ResNet', 101, 'torchvision://resnet101')
X101 = ('ResNeXt', 101, 'open-mmlab://resnext101_64x4d')
ALRP = dict(type='ALRPLoss', use_sigmoid=True, delta=1.0, sb_init=50.0)
GIOU = dict(type='GIoULoss', reduction='none')
AP = dict(type='APLoss', use_sigmoid=True, delta=1.0, interpolated=True)


def row(table, number, backbone, scale, lr, milestones, **extra):
    return dict(table=table, number=number, backbone=backbone, scale=scale,
                lr=lr, milestones=milestones, **extra)


def retina(anchors, assigner, head, loss_cls=ALRP, loss_bbox=GIOU,
           sb=dict(type='SelfBalanceHook')):
    return dict(detector='RetinaNet', head=head, anchors=anchors,
                assigner=assigner, loss_cls=loss_cls, loss_bbox=loss_bbox,
                sb=sb)


MAXIOU6 = retina((4, 2, [0.5, 1.0, 2.0]), 'MaxIoUAssigner', 'ALRPRetinaHead')
ATSS2 = retina((4, 2, [1.0]), 'ATSSAssigner', 'ALRPATSSHead')
ATSS3 = retina((4, 3, [1.0]), 'ATSSAssigner', 'ALRPATSSHead')
IOU = dict(type='IoULoss', mode='linear', reduction='none')
#: file name -> (paper table and the number it should reproduce, values)
PAPER_ROWS = {
    # Table 2 (minival AP) and Table 3 (its SB column)
    'ap_loss_retinanet_r50_fpn_100e_coco500.py': row(
        'Table 2 AP Loss', 35.5, R50, 500, 0.002, [60, 80], **retina(
            (4, 2, [0.5, 1.0, 2.0]), 'MaxIoUAssigner', 'APLossRetinaHead',
            AP, dict(type='SmoothL1Loss', beta=1.0, loss_weight=1.0), None)),
    'alrp_loss_retinanet_r50_fpn_iou_noSB_100e_coco500.py': row(
        'Table 2 aLRP IoU w/o SB', 36.9, R50, 500, 0.008, [60, 80],
        **dict(MAXIOU6, loss_bbox=IOU,
               sb=dict(type='SelfBalanceHook', fixed_weight=1.0))),
    'alrp_loss_retinanet_r50_fpn_iou_100e_coco500.py': row(
        'Table 2 aLRP IoU SB', 38.7, R50, 500, 0.008, [60, 80],
        **dict(MAXIOU6, loss_bbox=IOU)),
    'alrp_loss_retinanet_r50_fpn_100e_coco500.py': row(
        'Table 2 aLRP GIoU SB', 38.9, R50, 500, 0.008, [60, 80], **MAXIOU6),
    # Table 6 (test-dev AP); R-50 is also Table 2's GIoU + ATSS row
    'alrp_loss_retinanet_r50_fpn_ATSS_100e_coco500.py': row(
        'Table 6 aLRPLoss500 R-50', 41.3, R50, 500, 0.008, [75, 95], **ATSS2),
    'alrp_loss_retinanet_r101_fpn_ATSS_100e_coco500.py': row(
        'Table 6 aLRPLoss500 R-101', 42.8, R101, 500, 0.008, [75, 95],
        **ATSS2),
    'alrp_loss_retinanet_x101_64x4d_fpn_ATSS_100e_coco500.py': row(
        'Table 6 aLRPLoss500 X-101', 44.6, X101, 500, 0.008, [75, 95],
        **ATSS2),
    'alrp_loss_retinanet_r101_fpn_ATSS_100e_coco800.py': row(
        'Table 6 aLRPLoss800 R-101', 45.9, R101, 800, 0.004, [60, 80],
        **ATSS3),
    'alrp_loss_retinanet_x101_64x4d_fpn_ATSS_100e_coco800.py': row(
        'Table 6 aLRPLoss800 X-101', 47.8, X101, 800, 0.004, [60, 80],
        **ATSS3),
    'alrp_loss_retinanet_x101_64x4d_fpn_dcn_ATSS_100e_coco800.py': row(
        'Table 6 aLRPLoss800 X-101-DCN', 48.9, X101, 800, 0.004, [60, 80],
        dcn=True, **ATSS3),
    # Table 7 (minival AP)
    'fovea_r50_fpn_4x4_100e_coco500.py': row(
        'Table 7 Focal + SL1', 38.3, R50, 500, 0.02, [75, 95],
        detector='FOVEA', head='FoveaHead', sb=None,
        loss_cls=dict(type='FocalLoss', use_sigmoid=True, gamma=1.5,
                      alpha=0.4, loss_weight=1.0),
        loss_bbox=dict(type='SmoothL1Loss', beta=0.11, loss_weight=1.0)),
    'ap_loss_fovea_r50_fpn_4x4_100e_coco500.py': row(
        'Table 7 AP Loss + SL1', 36.5, R50, 500, 0.002, [75, 95],
        detector='FOVEA', head='APLossFoveaHead', loss_cls=AP, sb=None,
        loss_bbox=dict(type='SmoothL1Loss', beta=0.11, loss_weight=1.0)),
    'alrp_loss_fovea_r50_fpn_4x4_100e_coco500.py': row(
        'Table 7 aLRP Loss', 39.7, R50, 500, 0.008, [75, 95],
        detector='FOVEA', head='ALRPFoveaHead', loss_cls=ALRP,
        loss_bbox=GIOU, sb=dict(type='SelfBalanceHook')),
    # Table 8 (minival AP)
    'faster_rcnn_r50_fpn_100e_coco500.py': row(
        'Table 8 CE + L1', 37.8, R50, 500, 0.04, [75, 95],
        detector='FasterRCNN', rpn=('RPNHead', 'RandomSampler'),
        roi=('Shared2FCBBoxHead', 'RandomSampler'), sb=None,
        loss_bbox=dict(type='L1Loss', loss_weight=1.0)),
    'faster_rcnn_r50_fpn_giou_100e_coco500.py': row(
        'Table 8 CE + GIoU', 38.2, R50, 500, 0.04, [75, 95],
        detector='FasterRCNN', rpn=('RPNHead', 'RandomSampler'),
        roi=('Shared2FCBBoxHead', 'RandomSampler'), sb=None,
        loss_bbox=dict(type='GIoULoss', loss_weight=10.0)),
    'alrp_loss_faster_rcnn_r50_fpn_100e_coco500.py': row(
        'Table 8 aLRP Loss', 40.7, R50, 500, 0.012, [75, 95],
        detector='FasterRCNN', rpn=('ALRPRPNHead', None),
        roi=('ALRPShared2FCBBoxHead', 'PseudoSampler'), loss_bbox=GIOU,
        sb=dict(type='SelfBalanceHook')),
}
