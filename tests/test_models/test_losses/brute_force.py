"""Dense float64 references written straight from the paper's equations.

Every relation is an explicit |P| x |P| or |P| x |N| matrix, every gradient
comes from the primary terms and their targets through Eq. 5. Nothing here
shares code with the package.
"""
import torch

FP_EPS = 1e-5


def step_h(x, delta):
    """Smoothed step H(x) (Sec. 2.1)."""
    return torch.clamp(x / (2 * delta) + 0.5, 0, 1)


def relations(logits, labels, delta):
    s = logits.detach().double()
    pos, neg = labels == 1, labels == 0
    sp, sn = s[pos], s[neg]
    h_pp = step_h(sp[None, :] - sp[:, None], delta)  # [i, k] = H(x_ik)
    h_pp.fill_diagonal_(0)
    h_pn = step_h(sn[None, :] - sp[:, None], delta)  # [i, j] = H(x_ij)
    n_fp = h_pn.sum(1)
    rank_pos = 1 + h_pp.sum(1)
    return dict(pos=pos, neg=neg, sp=sp, h_pp=h_pp, h_pn=h_pn, n_fp=n_fp,
                rank_pos=rank_pos, rank=rank_pos + n_fp)


def scatter_grads(r, delta_x, z, size):
    """Eq. 5: dL/ds_i = sum_j dx_ij - sum_j dx_ji, divided by Z."""
    grad = torch.zeros(size, dtype=torch.float64)
    grad[r['pos']] = delta_x.sum(1) / z
    grad[r['neg']] = -delta_x.sum(0) / z
    return grad


def primary_update(r, error):
    """dx_ij = L*_ij - L_ij = -(l(i) - l*(i)) H(x_ij) / N_FP(i) (Eq. 7)."""
    active = (r['n_fp'] > FP_EPS).double()
    p_ji = r['h_pn'] / r['n_fp'].clamp(min=FP_EPS)[:, None]
    return -(error * active)[:, None] * p_ji


def alrp(logits, labels, loc_errors, delta):
    """aLRP loss (Eqs. 9-11) and its gradients (Eqs. 12-14, 5)."""
    r = relations(logits, labels, delta)
    e = loc_errors.detach().double()
    num_pos = len(r['sp'])
    rank = r['rank']
    loss_cls = (r['n_fp'] / rank).sum() / num_pos
    at_or_above = (r['sp'][None, :] >= r['sp'][:, None]).double()
    loss_loc = (at_or_above @ e / rank).sum() / num_pos
    primary = (r['n_fp'] + e + r['h_pp'] @ e) / rank  # l_LRP(i), Eq. 10
    target = e / rank  # Eq. 13
    delta_x = primary_update(r, primary - target)
    grad_logits = scatter_grads(r, delta_x, num_pos, logits.numel())
    grad_loc = (at_or_above / rank[:, None]).sum(0) / num_pos
    return dict(loss_cls=loss_cls, loss_loc=loss_loc, grad_logits=grad_logits,
                grad_loc=grad_loc, rank=rank)


def ap(logits, labels, delta, interpolated=False):
    """AP Loss (Eq. 4): primary terms H(x_ij)/rank(i), target 0."""
    r = relations(logits, labels, delta)
    num_pos = len(r['sp'])
    precision = r['rank_pos'] / r['rank']
    if interpolated:
        lower_or_equal = r['sp'][None, :] <= r['sp'][:, None]  # [i, k]
        precision = torch.where(lower_or_equal, precision[None, :],
                                torch.zeros_like(lower_or_equal,
                                                 dtype=torch.float64))
        precision = precision.max(1).values
    error = 1 - precision
    delta_x = primary_update(r, error)
    return dict(loss=error.sum() / num_pos,
                grad_logits=scatter_grads(r, delta_x, num_pos,
                                          logits.numel()))


def ideal_dcg(num_pos):
    return sum(1 / torch.log2(torch.tensor(1.0 + i, dtype=torch.float64))
               for i in range(1, num_pos + 1))


def ndcg(logits, labels, delta):
    """NDCG Loss (App. D, Eqs. A.39-A.44), Z = 1."""
    r = relations(logits, labels, delta)
    num_pos = len(r['sp'])
    g_max = ideal_dcg(num_pos)
    gain = 1 / torch.log2(1 + r['rank'])
    loss = ((g_max / num_pos - gain) / g_max).sum()
    delta_x = primary_update(r, (1 - gain) / g_max)
    return dict(loss=loss,
                grad_logits=scatter_grads(r, delta_x, 1, logits.numel()))


RS_EPS = 1e-10


def rank_sort(logits, labels, ious, delta):
    """RS Loss (RS paper Eqs. 7-9) with the closed-form identity update of
    the reference's section 1.6, as dense |P| x |P| and |P| x |N| matrices;
    returns both losses and the ranking and sorting gradients apart."""
    s = logits.detach().double()
    y = ious.detach().double()
    pos, neg = labels == 1, labels == 0
    sp, sn = s[pos], s[neg]
    num_pos = len(sp)
    h_pp = step_h(sp[None, :] - sp[:, None], delta)  # [i, k], H(0) = 1/2
    h_pn = step_h(sn[None, :] - sp[:, None], delta)  # [i, j]
    rank_plus = h_pp.sum(1)
    n_fp = h_pn.sum(1)
    rank = rank_plus + n_fp
    l_rank = n_fp / rank
    higher_or_equal = (y[None, :] >= y[:, None]).double()  # [i, k]
    l_sort = h_pp @ (1 - y) / rank_plus
    h_target = h_pp * higher_or_equal
    target = h_target @ (1 - y) / h_target.sum(1)
    e_sort = l_sort - target
    lower = h_pp * (1 - higher_or_equal)
    mass = lower.sum(1)
    a = (n_fp > RS_EPS).double()
    b = (mass > RS_EPS).double()
    grad_rank = torch.zeros(logits.numel(), dtype=torch.float64)
    grad_rank[pos] = -a * l_rank / num_pos
    grad_rank[neg] = (a / rank) @ h_pn / num_pos
    grad_sort = torch.zeros(logits.numel(), dtype=torch.float64)
    grad_sort[pos] = (-b * e_sort + (b * e_sort / mass.clamp(min=RS_EPS))
                      @ lower) / num_pos
    return dict(loss_rank=l_rank.mean(), loss_sort=e_sort.mean(),
                grad_rank=grad_rank, grad_sort=grad_sort)
