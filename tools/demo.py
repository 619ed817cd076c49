"""A short check that aLRP Loss works: the paper's toy example and Theorem 2.

    python tools/demo.py
"""
import torch

from alrp_mmdet.models.losses import alrp_loss, ap_loss

# Paper Fig. 1 / Table A.6: ten anchors scored 1.0 ... 0.1, four positives.
SCORES = torch.arange(10, 0, -1, dtype=torch.float64) / 10
LABELS = torch.tensor([1, 0, 1, 0, 0, 1, 0, 0, 0, 1])
IOUS = dict(R1=[0.95, 0.80, 0.65, 0.50], R2=[0.80, 0.65, 0.50, 0.95],
            R3=[0.50, 0.65, 0.80, 0.95])
PAPER = dict(R1=0.53, R2=0.69, R3=0.89)


def toy_example():
    print('Paper toy example (Fig. 1): same ranking, IoUs correlated with '
          'the scores (R1), uncorrelated (R2), anti-correlated (R3)')
    print(f'AP Loss (all three): {ap_loss(20 * SCORES, LABELS).item():.2f} '
          '(paper 0.36)')
    for name, ious in IOUS.items():
        loc_errors = (1 - torch.tensor(ious, dtype=torch.float64)) / 0.5
        loss_cls, loss_loc = alrp_loss(20 * SCORES, LABELS, loc_errors)
        total = (loss_cls + loss_loc).item()
        print(f'aLRP Loss {name}: {total:.2f} = cls {loss_cls.item():.3f} + '
              f'loc {loss_loc.item():.3f} (paper {PAPER[name]:.2f})')


def theorem_2(num_logits=1_000_000, num_pos=500):
    gen = torch.Generator().manual_seed(0)
    logits = (torch.randn(num_logits, generator=gen) - 4).requires_grad_()
    labels = torch.zeros(num_logits, dtype=torch.long)
    labels[torch.randperm(num_logits, generator=gen)[:num_pos]] = 1
    loc_errors = torch.rand(num_pos, generator=gen)
    loss_cls, loss_loc, stats = alrp_loss(logits, labels, loc_errors,
                                          return_stats=True)
    loss_cls.backward()
    pos = logits.grad[labels == 1].abs().sum().item()
    neg = logits.grad[labels == 0].abs().sum().item()
    print(f'Theorem 2 on {num_logits:,} logits: sum |grad| positives '
          f'{pos:.6f}, negatives {neg:.6f} (balance {stats.grad_balance:.6f})')


if __name__ == '__main__':
    toy_example()
    theorem_2()
