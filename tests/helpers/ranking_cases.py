"""Seeded random ranking problems shared by the loss tests."""
import torch

DELTAS = (0.05, 0.5, 1.0, 2.5)


def random_case(seed, dtype=torch.float64):
    """Logits, labels and normalised localisation errors of one problem.

    Mixes what the ranking core must get right: ties (logits on a coarse
    grid), ignored entries, negatives far below and far above the
    positives, positives inside and outside each other's windows.
    """
    gen = torch.Generator().manual_seed(seed)
    size = int(torch.randint(2, 300, (1, ), generator=gen))
    logits = torch.randn(size, generator=gen, dtype=torch.float64) * 2
    if seed % 3 == 0:
        logits = torch.round(logits * 2) / 2
    far = torch.rand(size, generator=gen) < 0.1
    logits[far] += torch.where(torch.rand(int(far.sum()), generator=gen) < .5,
                               -60.0, 60.0).double()
    labels = torch.zeros(size, dtype=torch.long)
    draw = torch.rand(size, generator=gen)
    labels[draw < 0.2] = 1
    labels[(draw >= 0.2) & (draw < 0.3)] = -1
    if int((labels == 1).sum()) == 0:
        labels[0] = 1
    num_pos = int((labels == 1).sum())
    loc_errors = torch.rand(num_pos, generator=gen, dtype=torch.float64)
    if seed % 4 == 0:
        loc_errors[::2] = 0.0
    delta = DELTAS[seed % len(DELTAS)]
    return logits.to(dtype), labels, loc_errors.to(dtype), delta
