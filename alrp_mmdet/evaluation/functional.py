"""Matching of detections to ground truth (COCO rules), the optimal LRP
(Oksuz et al., ECCV 2018; aLRP paper Eq. 6) and the correlation of the
classification and localisation rankings (aLRP paper Sec. 5.1)."""
from typing import Dict, NamedTuple

import numpy as np
from scipy.stats import rankdata


class ClassMatches(NamedTuple):
    """Detections of one class over a dataset, by descending score.

    Attributes:
        scores: (n, ) scores of the detections that are not ignored.
        ious: (n, ) IoU with the matched ground truth, 0 for false positives.
        num_gts: number of ground truths that are not ignored.
    """
    scores: np.ndarray
    ious: np.ndarray
    num_gts: int


def coco_matches(coco_eval, iou_thr: float = 0.5) -> Dict[int, ClassMatches]:
    """Per category id, the detections matched by an evaluated ``COCOeval``
    (``evaluate()`` done) at ``iou_thr``, area 'all', its last maxDets."""
    params = coco_eval.params
    thr_index = np.flatnonzero(np.isclose(params.iouThrs, iou_thr))
    if len(thr_index) != 1:
        raise ValueError(f'IoU threshold {iou_thr} is not among the '
                         f'evaluated ones {list(params.iouThrs)}')
    thr_index = thr_index[0]
    collected = {cat_id: ([], [], 0) for cat_id in params.catIds}
    for result in coco_eval.evalImgs:
        if result is None or result['aRng'] != params.areaRng[0]:
            continue
        cat_id, img_id = result['category_id'], result['image_id']
        gt_columns = {gt['id']: column for column, gt in enumerate(
            coco_eval._gts[img_id, cat_id])}
        ious = coco_eval.ious[img_id, cat_id]
        scores, matched_ious, num_gts = collected[cat_id]
        kept = ~np.asarray(result['dtIgnore'][thr_index], dtype=bool)
        for row, (score, gt_id) in enumerate(
                zip(result['dtScores'], result['dtMatches'][thr_index])):
            if kept[row]:
                scores.append(score)
                matched_ious.append(
                    ious[row, gt_columns[int(gt_id)]] if gt_id > 0 else 0.0)
        num_gts += int(np.sum(~np.asarray(result['gtIgnore'], dtype=bool)))
        collected[cat_id] = (scores, matched_ious, num_gts)
    matches = {}
    for cat_id, (scores, ious, num_gts) in collected.items():
        order = np.argsort(-np.asarray(scores), kind='mergesort')
        matches[cat_id] = ClassMatches(
            np.asarray(scores, dtype=float)[order],
            np.asarray(ious, dtype=float)[order], num_gts)
    return matches


def optimal_lrp(matches: ClassMatches, tau: float = 0.5) -> Dict[str, float]:
    """Optimal LRP of one class and its components at the best threshold.

    LRP(s) = [sum_TP (1 - IoU) / (1 - tau) + N_FP + N_FN] / (N_TP + N_FP +
    N_FN) over the detections scoring at least s (Eq. 6); oLRP is its
    minimum over s. Components there: ``oLRP_loc`` = mean (1 - IoU) of the
    true positives, ``oLRP_FP`` = N_FP / detections, ``oLRP_FN`` = N_FN /
    ground truths (NaN where undefined). Classes without ground truth give
    NaN everywhere.
    """
    nan = float('nan')
    if matches.num_gts == 0:
        return dict(oLRP=nan, oLRP_loc=nan, oLRP_FP=nan, oLRP_FN=nan,
                    threshold=nan)
    is_tp = matches.ious >= tau
    tps = np.cumsum(is_tp)
    fps = np.cumsum(~is_tp)
    loc_sums = np.cumsum(np.where(is_tp, 1.0 - matches.ious, 0.0))
    fns = matches.num_gts - tps
    lrps = (loc_sums / (1.0 - tau) + fps + fns) / (tps + fps + fns)
    # a threshold keeps every detection scoring at least it: evaluate at
    # the last detection of each score, and with no detection (LRP = 1)
    last_of_score = np.append(matches.scores[1:] != matches.scores[:-1],
                              True) if len(lrps) else np.zeros(0, bool)
    candidates = np.flatnonzero(last_of_score)
    if len(candidates) == 0 or lrps[candidates].min() >= 1.0:
        return dict(oLRP=1.0, oLRP_loc=nan, oLRP_FP=nan, oLRP_FN=1.0,
                    threshold=nan)
    best = candidates[np.argmin(lrps[candidates])]
    return dict(oLRP=float(lrps[best]),
                oLRP_loc=float(loc_sums[best] / tps[best]),
                oLRP_FP=float(fps[best] / (best + 1)),
                oLRP_FN=float(fns[best] / matches.num_gts),
                threshold=float(matches.scores[best]))


def ranking_correlation(matches: ClassMatches, tau: float = 0.5) -> float:
    """Pearson correlation between the classification ranking (by score)
    and the localisation ranking (by IoU) of one class's true positives
    (IoU >= tau): the paper's rho (Table 2, 5). Tied values share their
    mean rank; NaN with fewer than two true positives or a constant
    ranking."""
    is_tp = matches.ious >= tau
    if is_tp.sum() < 2:
        return float('nan')
    score_ranks = rankdata(matches.scores[is_tp])
    iou_ranks = rankdata(matches.ious[is_tp])
    if score_ranks.std() == 0 or iou_ranks.std() == 0:
        return float('nan')
    return float(np.corrcoef(score_ranks, iou_ranks)[0, 1])
