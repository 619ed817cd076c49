"""What the docs show works as written, and the result tables agree."""
import glob
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch
import yaml
from mmengine import Config
from mmengine.hub import get_config
from mmengine.logging import MessageHub

from alrp_mmdet.datasets import generate_dataset
from mmdet.registry import HOOKS, METRICS, MODELS
from mmdet.testing import demo_mm_inputs
from mmdet.utils import register_all_modules
from ..conftest import REPO
from ..test_configs.test_paper_configs import PAPER_ROWS
from ..test_configs.test_rank_sort_configs import RS_ROWS
from ..test_models.test_losses.cases import random_case

register_all_modules()

DOCS = [osp.join(REPO, 'README.md'),
        osp.join(REPO, 'configs', 'alrp_loss', 'README.md')] + sorted(
            glob.glob(osp.join(REPO, 'docs', '*.md')))
RETINANET = 'mmdet::retinanet/retinanet_r50_fpn_1x_coco.py'
CONFIG_NAMES = ('model', 'custom_hooks', 'val_evaluator', 'test_evaluator',
                'custom_imports', 'default_hooks')


def python_blocks():
    for path in DOCS:
        with open(path) as f:
            text = f.read()
        for number, block in enumerate(
                re.findall(r'```python\n(.*?)```', text, re.S)):
            yield pytest.param(block, id=f'{osp.basename(path)}-{number}')


@pytest.fixture(scope='module')
def coco_root(tmp_path_factory):
    """A data_root whose annotations/instances_val2017.json exists."""
    root = tmp_path_factory.mktemp('coco')
    ann = generate_dataset(str(root), dict(val=2), image_size=64)['val']
    (root / 'annotations' / 'instances_val2017.json').write_text(
        open(ann).read())
    return str(root) + '/'


def build_config_snippet(names):
    """Merge a config snippet onto mmdet's RetinaNet config (where a user
    would start) and build what it defines: the model (and one training
    step), hooks, evaluators."""
    cfg = get_config(RETINANET)
    cfg.merge_from_dict({k: v for k, v in names.items()
                         if k in CONFIG_NAMES and k != 'model'})
    if 'model' in names:
        model_cfg = Config(dict(model=cfg.model))
        model_cfg.merge_from_dict(dict(model=names['model']))
        model_cfg.model.backbone.init_cfg = None
        head = model_cfg.model.bbox_head
        MessageHub.get_instance('docs_test').update_info('iter', 0)
        model = MODELS.build(model_cfg.model)
        packed = demo_mm_inputs(2, [[3, 96, 96]] * 2,
                                num_classes=head.num_classes)
        losses = model.forward(**model.data_preprocessor(packed, True),
                               mode='loss')
        total, _ = model.parse_losses(losses)
        total.backward()
        assert torch.isfinite(total)
    for hook in names.get('custom_hooks', []):
        HOOKS.build(hook)
    for key in ('val_evaluator', 'test_evaluator'):
        if key in names:
            METRICS.build(names[key])


@pytest.mark.parametrize('block', python_blocks())
def test_python_snippet_works_as_written(block, coco_root):
    logits, labels, loc_errors, _ = random_case(1, torch.float32)
    names = dict(logits=logits, labels=labels, loc_errors=loc_errors,
                 ious=loc_errors, data_root=coco_root)
    exec(compile(block, '<snippet>', 'exec'), names)
    if any(key in names for key in CONFIG_NAMES):
        build_config_snippet(names)


def table_rows(path):
    """config file -> first AP number of each results-table row naming one
    config without extra options."""
    rows = {}
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.split('|')]
            if len(cells) < 5 or 'cfg-options' in line:
                continue
            config = re.fullmatch(r'`([\w.+]+\.py)`', cells[2])
            number = re.match(r'[\d.]+', cells[3])
            if config and number:
                rows[config.group(1)] = float(number.group())
    return rows


def metafile_rows(path):
    """config file -> box AP of each model of a metafile."""
    with open(path) as f:
        metafile = yaml.safe_load(f)
    listed = {}
    for model in metafile['Models']:
        assert osp.exists(osp.join(REPO, model['Config']))
        assert model['Name'] + '.py' == osp.basename(model['Config'])
        listed[osp.basename(model['Config'])] = model['Results'][0][
            'Metrics']['box AP']
    return listed


@pytest.mark.parametrize('folder, audit', [
    ('alrp_loss', {name: row['number'] for name, row in PAPER_ROWS.items()}),
    ('rank_sort_loss', {name: row['box_ap']
                        for name, row in RS_ROWS.items()}),
])
def test_readmes_metafile_and_audit_agree(folder, audit):
    main_readme = table_rows(osp.join(REPO, 'README.md'))
    assert {k: v for k, v in main_readme.items() if k in audit} == audit
    assert table_rows(osp.join(REPO, 'configs', folder, 'README.md')) == \
        audit
    assert metafile_rows(osp.join(REPO, 'configs', folder,
                                  'metafile.yml')) == audit
    with open(osp.join(REPO, 'model-index.yml')) as f:
        assert f'configs/{folder}/metafile.yml' in yaml.safe_load(f)[
            'Import']


def test_main_readme_lists_only_audited_configs():
    audited = set(PAPER_ROWS) | set(RS_ROWS)
    assert set(table_rows(osp.join(REPO, 'README.md'))) == audited


def test_readme_states_the_number_of_tests_the_suite_collects():
    # a hand-written count goes stale: the suite's own collection decides
    with open(osp.join(REPO, 'README.md')) as f:
        stated = re.search(r'CI runs exactly this through `\.ci/run`; (\d+)\s+'
                           r'tests in', f.read())
    assert stated, 'README.md no longer states the test count'
    collected = subprocess.run(
        [sys.executable, '-m', 'pytest', '--collect-only', '-q',
         '-p', 'no:cacheprovider', osp.join(REPO, 'tests')],
        capture_output=True, text=True, cwd=REPO).stdout
    count = re.search(r'^(\d+) tests collected', collected, re.M)
    assert count, collected[-2000:]
    assert int(stated.group(1)) == int(count.group(1)), (
        'README.md states a test count the suite no longer has')
