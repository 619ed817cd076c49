"""The mmdet configs whose classification loss is swapped for aLRP or RS, with
the mmdet baseline's box AP."""
ALRP = dict(type='ALRPLoss', use_sigmoid=True, delta=1.0, sb_init=50.0)
RS = dict(type='RankSortLoss', delta=0.5)
#: RS-DINO takes delta 2 (configs/_base_/models/ranking_dino_heads.py)
RS_DINO = dict(type='RankSortLoss', delta=2.0)


def row(baseline, box_ap, head, loss_cls, box_loss='loss_bbox'):
    """A swapped config: its mmdet recipe and published box AP, the ranking
    head, its loss_cls, and which box loss becomes the GIoU of E_loc / RS
    (DINO's ``loss_iou``; its L1 ``loss_bbox`` stays)."""
    return dict(baseline=f'mmdet::{baseline}', box_ap=box_ap, head=head,
                loss_cls=loss_cls, box_loss=box_loss)


FCOS = 'fcos/fcos_r50-caffe_fpn_gn-head_1x_coco.py'
RTMDET = 'rtmdet/rtmdet_{}_8xb32-300e_coco.py'
DINO = 'dino/dino-4scale_r50_8xb2-12e_coco.py'
#: folder -> file name -> mmdet recipe, its published box AP (mmdet 3.3
#: metafiles), the ranking head and its loss_cls
SWAPPED_ROWS = {
    'fcos': {
        'alrp_fcos_r50-caffe_fpn_gn-head_1x_coco.py': row(
            FCOS, 36.6, 'ALRPFCOSHead', ALRP),
        'ranksort_fcos_r50-caffe_fpn_gn-head_1x_coco.py': row(
            FCOS, 36.6, 'RankSortFCOSHead', RS),
    },
    'rtmdet': {
        'alrp_rtmdet_s_8xb32-300e_coco.py': row(
            RTMDET.format('s'), 44.5, 'ALRPRTMDetSepBNHead', ALRP),
        'ranksort_rtmdet_s_8xb32-300e_coco.py': row(
            RTMDET.format('s'), 44.5, 'RankSortRTMDetSepBNHead', RS),
        'alrp_rtmdet_l_8xb32-300e_coco.py': row(
            RTMDET.format('l'), 51.3, 'ALRPRTMDetSepBNHead', ALRP),
        'ranksort_rtmdet_l_8xb32-300e_coco.py': row(
            RTMDET.format('l'), 51.3, 'RankSortRTMDetSepBNHead', RS),
    },
    'dino': {
        'alrp_dino-4scale_r50_8xb2-12e_coco.py': row(
            DINO, 49.0, 'ALRPDINOHead', ALRP, 'loss_iou'),
        'ranksort_dino-4scale_r50_8xb2-12e_coco.py': row(
            DINO, 49.0, 'RankSortDINOHead', RS_DINO, 'loss_iou'),
    },
}
