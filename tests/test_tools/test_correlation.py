"""tools/analysis_tools/correlation.py: which evaluators it takes and the
JSON it writes."""
import importlib.util
import json
import os.path as osp

import numpy as np
import pytest

from ..conftest import REPO


def correlation_tool():
    spec = importlib.util.spec_from_file_location(
        'correlation',
        osp.join(REPO, 'tools', 'analysis_tools', 'correlation.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize('evaluators', [
    dict(type='CocoMetric', ann_file='gt.json'),
    dict(type='LRPMetric', ann_file='gt.json'),  # a CocoMetric subclass
    [dict(type='VOCMetric'), dict(type='LRPMetric', ann_file='gt.json')],
])
def test_coco_metrics_and_their_subclasses_are_accepted(evaluators):
    import alrp_mmdet  # noqa: F401 registers LRPMetric
    chosen = correlation_tool().coco_evaluator(evaluators)
    assert chosen['ann_file'] == 'gt.json'


@pytest.mark.parametrize('evaluators', [
    dict(type='VOCMetric'), dict(type='CocoMetric'), [dict(type='LRPMetric')]
])
def test_an_evaluator_without_coco_ground_truth_is_refused(evaluators):
    with pytest.raises(ValueError, match='CocoMetric .* ann_file'):
        correlation_tool().coco_evaluator(evaluators)


def test_an_undefined_rho_is_written_as_null():
    results = {
        'cat': (0.5, np.array([0.9, 0.8]), np.array([0.7, 0.6])),
        'dog': (float('nan'), np.array([0.9]), np.array([0.7])),
    }
    text = json.dumps(correlation_tool().summary(results, 0.5),
                      allow_nan=False)
    written = json.loads(text)
    assert written['per_class']['dog'] == dict(rho=None, true_positives=1)
    assert written['rho'] == 0.5 and written['classes_with_rho'] == 1
    nothing = correlation_tool().summary({'dog': results['dog']}, 0.5)
    assert nothing['rho'] is None
