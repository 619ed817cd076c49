"""No new host synchronisations: one ``loss_by_feat`` and backward of every
ranking head reads values into Python (each read stalls a GPU stream) at
most ``MARGIN`` times per ranking more often than its mmdet baseline head
with mmdet's losses on the same inputs."""
import pytest
import torch

from ...helpers.host_syncs import HostSyncCounter
from ..builders import dino
from ..builders.baselines import BASELINES
from ..builders.ranking_heads import TWO_GTS, head_and_losses
from ..head_inputs import gt

#: extra reads a ranking head may make over its baseline per ranking: the
#: batch's ground-truth check, the ranking core's input check, bucketing and
#: statistics, the box predictions' divergence check and the objective's
#: numbers (measured 2026-12-07: -10 to +10 for the dense and RoI heads,
#: about +8 per ranking for DINO)
MARGIN = 10


def rankings_per_step(head_type):
    """Dense and RoI heads rank once per step; the test DINO head ranks
    each decoder layer, the encoder's proposals and each layer's
    denoising queries."""
    return 2 * dino.NUM_LAYERS + 1 if 'DINO' in head_type else 1


def total_loss(losses):
    """mmdet's total of a loss dict (per-level lists summed)."""
    return sum(sum(value) if isinstance(value, (list, tuple)) else value
               for key, value in losses.items() if 'loss' in key)


def syncs(build, losses, gts):
    head = build()
    with HostSyncCounter() as counter:
        total_loss(losses(head, gts)).backward()
    return counter


def ranking_head(head_type):
    if 'DINO' in head_type:
        return (lambda: dino.build_head(head_type)), dino.losses_of
    return head_and_losses(head_type)


@pytest.mark.parametrize('head_type', sorted(BASELINES))
def test_a_ranking_head_reads_about_as_often_as_its_mmdet_baseline(
        head_type):
    gts = [gt(label=0), gt(label=0, shift=8.0)] if 'RPN' in head_type \
        else TWO_GTS
    ours = syncs(*ranking_head(head_type), gts)
    baseline = syncs(*BASELINES[head_type], gts)
    allowed = baseline.total + MARGIN * rankings_per_step(head_type)
    assert ours.total <= allowed, (
        f'{head_type}: {ours.total} host reads ({dict(ours.counts)}), '
        f'its mmdet baseline {baseline.total} ({dict(baseline.counts)})')


def test_the_counter_counts_every_kind_of_read():
    values = torch.tensor([-1.0, 2.0, 3.0])
    with HostSyncCounter() as counter:
        mask = values > 0
        values[mask]  # boolean-mask indexing
        values[mask] = 0.0  # boolean-mask assignment
        values.sum().item()
        bool(values.any())
        float(values.max())
        values.tolist()
        values.nonzero()
        torch.repeat_interleave(torch.tensor([1, 2]))
        torch.repeat_interleave(torch.tensor([1, 2]), output_size=3)
        values.sort()  # no read
    assert dict(counter.counts) == {
        'boolean-mask indexing': 2, 'item/bool/int/float': 3, 'tolist': 1,
        'nonzero': 1, 'repeat_interleave': 1}
    assert counter.total == 8
