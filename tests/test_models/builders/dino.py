"""DINO heads of the tests: two decoder layers, twelve queries, eight
denoising queries."""
import torch

from ..head_inputs import SIZE, seeded_build
from ..rebuilt_losses import ranking_losses

NUM_LAYERS, QUERIES, DIMS, DN_QUERIES = 2, 12, 16, 8
HEAD_TYPES = ['ALRPDINOHead', 'RankSortDINOHead']
ASSIGNER = dict(
    type='HungarianAssigner',
    match_costs=[
        dict(type='FocalLossCost', weight=2.0),
        dict(type='BBoxL1Cost', weight=5.0, box_format='xywh'),
        dict(type='IoUCost', iou_mode='giou', weight=2.0)
    ])


def build_head(head_type, num_classes=3, **kwargs):
    head = seeded_build(
        dict(type=head_type, num_classes=num_classes, embed_dims=DIMS,
             num_pred_layer=NUM_LAYERS + 1, as_two_stage=True,
             share_pred_layer=False, sync_cls_avg_factor=True,
             train_cfg=dict(assigner=ASSIGNER),
             loss_cls=ranking_losses(head_type)['loss_cls'],
             loss_iou=dict(type='GIoULoss', reduction='none')),
        **kwargs)
    head.init_weights()
    return head


def detr_metas(num_imgs):
    return [dict(img_shape=(SIZE, SIZE))] * num_imgs


def denoising_meta(gts):
    """DINO's dn_meta for these gts (CdnQueryGenerator, dynamic groups):
    a positive and a negative query per gt box in each group."""
    most = max(len(g) for g in gts)
    groups = DN_QUERIES // most if most else 1
    return dict(num_denoising_queries=2 * most * groups,
                num_denoising_groups=groups)


def outputs(head, gts):
    """The head's own outputs for random decoder states (denoising queries
    first) and encoder proposals, as lists over layers."""
    gen = torch.Generator().manual_seed(2)
    dn_meta = denoising_meta(gts)
    total = dn_meta['num_denoising_queries'] + QUERIES
    hidden = torch.randn(NUM_LAYERS, len(gts), total, DIMS, generator=gen)
    references = [torch.rand(len(gts), total, 4, generator=gen) * 0.4 + 0.3
                  for _ in range(NUM_LAYERS + 1)]
    cls_scores, bbox_preds = head(hidden, references)
    memory = torch.randn(len(gts), QUERIES, DIMS, generator=gen)
    enc_cls = head.cls_branches[NUM_LAYERS](memory)
    enc_boxes = head.reg_branches[NUM_LAYERS](memory).sigmoid()
    return [list(cls_scores), list(bbox_preds), [enc_cls], [enc_boxes]
            ], dn_meta


def losses_of(head, gts, edit=None):
    outs, dn_meta = outputs(head, gts)
    if edit:
        outs = edit(outs)
    return head.loss_by_feat(torch.stack(outs[0]), torch.stack(outs[1]),
                             outs[2][0], outs[3][0], gts,
                             detr_metas(len(gts)), dn_meta)
