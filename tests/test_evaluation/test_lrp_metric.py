"""Optimal LRP (Oksuz et al., ECCV 2018; aLRP paper Eq. 6) on hand cases."""
import json

import numpy as np
import pytest

from alrp_mmdet.evaluation import (ClassMatches, LRPMetric, optimal_lrp,
                                   ranking_correlation)

G1, G2, G3 = [0, 0, 10, 10], [20, 20, 30, 30], [40, 40, 60, 60]


def lrp_at(matches, threshold, tau=0.5):
    """LRP of the detections scoring at least ``threshold``, from Eq. 6."""
    tp = fp = 0
    loc = 0.0
    for score, iou in zip(matches.scores, matches.ious):
        if score >= threshold:
            if iou >= tau:
                tp, loc = tp + 1, loc + (1 - iou) / (1 - tau)
            else:
                fp += 1
    fn = matches.num_gts - tp
    return (loc + fp + fn) / (tp + fp + fn)


def test_worked_example():
    # scores 0.9 (IoU 0.8), 0.8 (false positive), 0.7 (IoU 0.6), 2 gts:
    # LRP = (0.4 + 0 + 1) / 2 = 0.7, (0.4 + 1 + 1) / 3 = 0.8,
    # (0.4 + 0.8 + 1 + 0) / 3 = 0.733 -> optimum at 0.9
    result = optimal_lrp(ClassMatches(np.array([0.9, 0.8, 0.7]),
                                      np.array([0.8, 0.0, 0.6]), 2))
    assert result['oLRP'] == pytest.approx(0.7)
    assert result['oLRP_loc'] == pytest.approx(0.2)
    assert result['oLRP_FP'] == 0 and result['oLRP_FN'] == 0.5
    assert result['threshold'] == 0.9


def test_perfect_and_missing_detections():
    perfect = optimal_lrp(ClassMatches(np.array([0.9, 0.3]),
                                       np.array([1.0, 1.0]), 2))
    assert perfect['oLRP'] == 0 and perfect['oLRP_FN'] == 0
    nothing = optimal_lrp(ClassMatches(np.zeros(0), np.zeros(0), 3))
    assert nothing['oLRP'] == 1 and nothing['oLRP_FN'] == 1
    only_fps = optimal_lrp(ClassMatches(np.array([0.9]), np.zeros(1), 1))
    assert only_fps['oLRP'] == 1
    assert np.isnan(optimal_lrp(ClassMatches(np.zeros(0), np.zeros(0),
                                             0))['oLRP'])


def test_tied_scores_are_one_threshold():
    # a TP and an FP with the same score cannot be separated
    result = optimal_lrp(ClassMatches(np.array([0.5, 0.5]),
                                      np.array([0.0, 1.0]), 1))
    assert result['oLRP'] == pytest.approx(0.5)  # (0 + 1 FP) / 2


@pytest.mark.parametrize('seed', range(5))
def test_sweep_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 40
    scores = np.sort(rng.choice(np.linspace(0, 1, 25), n))[::-1]
    ious = np.where(rng.random(n) < 0.6, rng.uniform(0.5, 1, n),
                    rng.uniform(0, 0.5, n))
    matches = ClassMatches(scores, ious, int(rng.integers(20, 45)))
    expected = min([1.0] + [lrp_at(matches, s) for s in set(scores)])
    assert optimal_lrp(matches)['oLRP'] == pytest.approx(expected)


def coco_file(tmp_path):
    def ann(i, box, cat):
        x1, y1, x2, y2 = box
        return dict(id=i, image_id=1, category_id=cat, iscrowd=0,
                    bbox=[x1, y1, x2 - x1, y2 - y1],
                    area=(x2 - x1) * (y2 - y1))

    path = tmp_path / 'ann.json'
    path.write_text(json.dumps(dict(
        images=[dict(id=1, width=100, height=100, file_name='1.png')],
        categories=[dict(id=1, name='a'), dict(id=2, name='b')],
        annotations=[ann(1, G1, 1), ann(2, G2, 1), ann(3, G3, 2)])))
    return str(path)


def evaluate(tmp_path, boxes, scores, labels, classes=('a', 'b'), **kwargs):
    metric = LRPMetric(ann_file=coco_file(tmp_path), **kwargs)
    metric.dataset_meta = dict(classes=classes)
    pred = dict(img_id=1, bboxes=np.array(boxes, dtype=float).reshape(-1, 4),
                scores=np.array(scores, dtype=float),
                labels=np.array(labels, dtype=int))
    return metric.compute_metrics([(dict(), pred)])


def test_metric_on_a_coco_file(tmp_path):
    # class a: the worked example; class b: one perfect detection
    results = evaluate(tmp_path, [[0, 0, 10, 8], [50, 50, 60, 60],
                                  [20, 20, 30, 26], G3],
                       [0.9, 0.8, 0.7, 0.6], [0, 0, 0, 1], classwise=True)
    assert results['a_oLRP'] == pytest.approx(0.7, abs=1e-4)
    assert results['a_oLRP_loc'] == pytest.approx(0.2, abs=1e-4)
    assert results['a_oLRP_FN'] == 0.5 and results['b_oLRP'] == 0
    assert results['oLRP'] == pytest.approx(0.35, abs=1e-4)
    assert results['oLRP_FP'] == 0 and results['oLRP_FN'] == 0.25
    # AP at IoU 0.9: class a has no such match, class b is perfect
    assert results['a_AP90'] == 0 and results['b_AP90'] == 1
    assert results['bbox_AP90'] == 0.5
    assert 'bbox_mAP' in results and 'bbox_mAP_50' in results


def test_per_class_keys_follow_the_file_under_any_class_order(tmp_path):
    # mmdet matches the classes to the file's categories in the file's order
    # (labels 0 = 'a', 1 = 'b' here); the keys used to follow the config's
    # order, naming class a's LRP 'b_oLRP' next to a right 'a_precision'
    results = evaluate(tmp_path, [[0, 0, 10, 8], [50, 50, 60, 60],
                                  [20, 20, 30, 26], G3],
                       [0.9, 0.8, 0.7, 0.6], [0, 0, 0, 1],
                       classes=('b', 'a'), classwise=True)
    assert results['a_oLRP'] == pytest.approx(0.7, abs=1e-4)
    assert results['b_oLRP'] == 0 and results['b_AP90'] == 1
    assert results['a_AP90'] == 0


def test_metric_without_detections(tmp_path):
    results = evaluate(tmp_path, [], [], [])
    assert results['oLRP'] == 1 and results['oLRP_FN'] == 1
    assert results['bbox_AP90'] == 0


def test_metric_rejects_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match='boxes only'):
        LRPMetric(ann_file=coco_file(tmp_path), metric='segm')
    with pytest.raises(ValueError, match='tau'):
        LRPMetric(ann_file=coco_file(tmp_path), tau=1.0)


def test_ranking_correlation_hand_cases():
    ious = np.array([0.95, 0.8, 0.65, 0.5])  # toy example R1..R3 (Sec. 6.1)
    scores = np.array([1.0, 0.8, 0.5, 0.1])
    aligned = ranking_correlation(ClassMatches(scores, ious, 4))
    reversed_ = ranking_correlation(ClassMatches(scores, ious[::-1], 4))
    assert aligned == pytest.approx(1.0) and reversed_ == pytest.approx(-1.0)
    # R2 (0.80, 0.65, 0.50, 0.95): ranks (2, 3, 4, 1) vs (1, 2, 3, 4)
    r2 = ranking_correlation(ClassMatches(scores, np.array(
        [0.8, 0.65, 0.5, 0.95]), 4))
    assert r2 == pytest.approx(np.corrcoef([1, 2, 3, 4], [2, 3, 4, 1])[0, 1])
    # false positives (IoU < tau) do not count; one true positive is NaN
    with_fp = ranking_correlation(ClassMatches(
        np.append(scores, 0.05), np.append(ious, 0.3), 4))
    assert with_fp == pytest.approx(1.0)
    assert np.isnan(ranking_correlation(ClassMatches(scores[:1], ious[:1],
                                                     1)))
