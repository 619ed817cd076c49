"""The RS repository's README rows and the settings each config must hold."""
RS = dict(type='RankSortLoss', delta=0.5)
GIOU = dict(type='GIoULoss', reduction='none')
STDS = [0.1, 0.1, 0.2, 0.2]
MS_SCALES = [(1333, s) for s in (480, 560, 640, 720, 800, 880, 960)]


def row(readme_row, box_ap, olrp, detector, depth=50, lr=0.012, epochs=12,
        milestones=(8, 11), **extra):
    return dict(readme_row=readme_row, box_ap=box_ap, olrp=olrp,
                detector=detector, depth=depth, lr=lr, epochs=epochs,
                milestones=list(milestones), **extra)


#: file name -> (RS README row, box AP, box oLRP, values)
RS_ROWS = {
    'ranksort_faster_rcnn_r50_fpn_1x_coco.py': row(
        'RS-R-CNN R-50', 39.6, 67.9, 'FasterRCNN'),
    'ranksort_faster_rcnn+_r50_fpn_1x_coco.py': row(
        'RS-R-CNN R-50 + Carafe', 40.8, 66.9, 'FasterRCNN', carafe=True),
    'ranksort_faster_rcnn_r101_fpn_mstrain_dcn_3x_coco.py': row(
        'RS-R-CNN R-101-DCN, MS', 47.6, 61.1, 'FasterRCNN', depth=101,
        epochs=36, milestones=(27, 33), dcn=True, scales=MS_SCALES),
    'ranksort_faster_rcnn+_r101_fpn_mstrain_dcn_3x_coco.py': row(
        'RS-R-CNN R-101-DCN + Carafe, MS', 47.7, 60.9, 'FasterRCNN',
        depth=101, epochs=36, milestones=(27, 33), dcn=True,
        scales=MS_SCALES, carafe=True),
    'ranksort_cascade_rcnn_r50_fpn_1x_coco.py': row(
        'RS-Cascade R-CNN R-50', 41.3, 66.6, 'CascadeRCNN'),
    'ranksort_atss_r50_fpn_1x_coco.py': row(
        'RS-ATSS R-50', 39.9, 67.9, 'ATSS', lr=0.008),
    'ranksort_paa_r50_fpn_1x_coco.py': row(
        'RS-PAA R-50', 41.0, 67.3, 'PAA', lr=0.008),
    'ranksort_mask_rcnn_r50_fpn_1x_coco.py': row(
        'RS-Mask R-CNN R-50', 40.0, 67.5, 'MaskRCNN', mask_ap=36.4,
        mask_olrp=70.1),
    'ranksort_mask_rcnn+_r50_fpn_1x_coco.py': row(
        'RS-Mask R-CNN R-50 + Carafe', 41.1, 66.6, 'MaskRCNN', carafe=True,
        mask_ap=37.3, mask_olrp=69.4),
}
