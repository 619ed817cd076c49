"""The dense gatherers' decoding and their choice of box form."""
import torch

from alrp_mmdet.models.ranking_heads import anchor_batch, fovea_decode
from ..builders import retina
from ..head_inputs import gt, metas


def test_fovea_decode_spans_base_len_times_exp_around_the_point():
    boxes = fovea_decode(torch.tensor([[10., 20.]]), torch.tensor([4.]),
                         torch.log(torch.tensor([[1., 2., 3., 0.5]])))
    assert boxes.tolist() == [[6., 12., 22., 22.]]


def test_anchor_batch_decodes_the_positives_deltas_only_when_asked():
    head = retina.build_head('ALRPRetinaHead')
    cls_scores, bbox_preds = head(retina.features(2))
    args = (head, cls_scores, bbox_preds, [gt(), gt(1)], metas(2), None)
    deltas = anchor_batch(*args, decode_boxes=False)
    boxes = anchor_batch(*args, decode_boxes=True)
    assert not deltas.boxes_decoded and boxes.boxes_decoded
    assert torch.equal(deltas.pos_rows, boxes.pos_rows)
    anchors = torch.cat([torch.cat(head.prior_generator.grid_priors(
        [s.shape[-2:] for s in cls_scores], device='cpu'))] * 2)
    assert torch.allclose(boxes.pos_preds, head.bbox_coder.decode(
        anchors[deltas.pos_rows], deltas.pos_preds))
