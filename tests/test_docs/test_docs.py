"""What the docs show works as written, and the result tables agree."""
import glob
import os.path as osp
import pickle
import re
import subprocess
import sys

import pytest
import torch
import yaml
from mmengine import Config
from mmengine.hub import get_config

from alrp_mmdet.datasets import generate_dataset
from mmdet.registry import HOOKS, METRICS
from mmdet.utils import register_all_modules
from ..conftest import REPO, TEST, TRAIN, copy_own_data_configs, run_tool
from ..helpers import config_audit as audit
from ..helpers.swapped_rows import SWAPPED_ROWS
from ..helpers.paper_rows import PAPER_ROWS
from ..helpers.rank_sort_rows import RS_ROWS
from ..helpers.ranking_cases import random_case

register_all_modules()

DOCS = [osp.join(REPO, 'README.md'), osp.join(REPO, 'CONTRIBUTING.md'),
        osp.join(REPO, 'configs', 'alrp_loss', 'README.md')] + sorted(
            glob.glob(osp.join(REPO, 'docs', '**', '*.md'), recursive=True))
OWN_DATA_GUIDE = osp.join(REPO, 'docs', 'user_guides', 'own_data.md')
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


def build_config_snippet(names, block):
    """Merge a config snippet onto the mmdet config its first line names
    ("on top of mmdet's fcos/....py"; RetinaNet's where it names no folder)
    and build what it defines: the model (and one training step), hooks,
    evaluators."""
    named = re.match(r"# on top of mmdet's (\w+/[\w.-]+\.py)", block)
    cfg = get_config(f'mmdet::{named.group(1)}' if named else RETINANET)
    cfg.merge_from_dict({k: v for k, v in names.items()
                         if k in CONFIG_NAMES and k != 'model'})
    if 'model' in names:
        model_cfg = Config(dict(model=cfg.model))
        model_cfg.merge_from_dict(dict(model=names['model']))
        model_cfg.model.backbone.init_cfg = None
        # DINO picks its 900 queries among the encoder's tokens: larger images
        size = 320 if model_cfg.model.type == 'DINO' else 96
        audit.train_step(model_cfg.model, [[3, size, size]] * 2,
                         model_cfg.model.bbox_head.num_classes,
                         predict=False)
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
        build_config_snippet(names, block)


def table_rows(path):
    """config file -> first AP number of each results-table row naming one
    config without extra options."""
    rows = {}
    with open(path) as f:
        for line in f:
            cells = [c.strip() for c in line.split('|')]
            if len(cells) < 5 or 'cfg-options' in line:
                continue
            config = re.fullmatch(r'`([\w.+-]+\.py)`', cells[2])
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
    assert table_rows(osp.join(REPO, 'configs', folder, 'README.md')) == \
        audit
    assert metafile_rows(osp.join(REPO, 'configs', folder,
                                  'metafile.yml')) == audit
    with open(osp.join(REPO, 'model-index.yml')) as f:
        assert f'configs/{folder}/metafile.yml' in yaml.safe_load(f)[
            'Import']


def test_every_config_folder_with_a_readme_is_linked_from_the_front_pages():
    # one results table per folder (its README); README.md and the model
    # zoo link to each instead of repeating it
    folders = {osp.basename(osp.dirname(path)) for path in glob.glob(
        osp.join(REPO, 'configs', '*', 'README.md'))}
    assert folders == {'alrp_loss', 'rank_sort_loss'} | set(SWAPPED_ROWS)
    for page, prefix in (('README.md', 'configs/'),
                         ('docs/model_zoo.md', '../configs/')):
        text = open(osp.join(REPO, page)).read()
        for folder in folders:
            assert f']({prefix}{folder}/README.md)' in text, (page, folder)
    assert not table_rows(osp.join(REPO, 'README.md'))


@pytest.mark.parametrize('folder', sorted(SWAPPED_ROWS))
def test_swapped_loss_tables_give_the_baseline_and_no_result(folder):
    # no COCO run exists: the tables give mmdet's baseline AP, and the
    # metafile lists the configs without results
    baseline = {name: row['box_ap']
                for name, row in SWAPPED_ROWS[folder].items()}
    assert table_rows(osp.join(REPO, 'configs', folder, 'README.md')) == \
        baseline
    with open(osp.join(REPO, 'configs', folder, 'metafile.yml')) as f:
        models = yaml.safe_load(f)['Models']
    assert sorted(osp.basename(m['Config']) for m in models) == \
        sorted(baseline)
    assert all(osp.exists(osp.join(REPO, m['Config'])) and
               'Results' not in m for m in models)
    with open(osp.join(REPO, 'model-index.yml')) as f:
        assert f'configs/{folder}/metafile.yml' in yaml.safe_load(f)[
            'Import']


def test_contributing_states_the_number_of_tests_the_suite_collects():
    # a hand-written count goes stale: the suite's own collection decides
    with open(osp.join(REPO, 'CONTRIBUTING.md')) as f:
        stated = re.search(r'CI runs exactly this through `\.ci/run`; (\d+)\s+'
                           r'tests in', f.read())
    assert stated, 'CONTRIBUTING.md no longer states the test count'
    collected = subprocess.run(
        [sys.executable, '-m', 'pytest', '--collect-only', '-q',
         '-p', 'no:cacheprovider', osp.join(REPO, 'tests')],
        capture_output=True, text=True, cwd=REPO).stdout
    count = re.search(r'^(\d+) tests collected', collected, re.M)
    assert count, collected[-2000:]
    assert int(stated.group(1)) == int(count.group(1)), (
        'CONTRIBUTING.md states a test count the suite no longer has')


def test_own_data_configs_train_and_test_on_other_data(tmp_path):
    # docs/user_guides/own_data.md, on data unlike the demo's:
    # 5 classes, 128 px images, up to 6 objects per image
    readme = open(OWN_DATA_GUIDE).read()
    assert 'cp -r configs/own_data configs/my_data' in readme
    generate_dataset(str(tmp_path / 'data' / 'shapes'),
                     dict(train=24, val=8), image_size=128, num_classes=5,
                     max_objects=6)
    classes = ('rectangle', 'ellipse', 'triangle', 'cross', 'diamond')
    copy_own_data_configs(tmp_path, data_root='data/shapes/',
                          classes=classes, image_size=128, batch_size=8)
    options = ['--cfg-options', 'train_cfg.max_epochs=1',
               'train_cfg.val_interval=1']
    # aLRP validates at a threshold no score passes: the log must say so
    thresholds = dict(alrp_atss=1.0, rs_atss=0.0, atss_focal=0.0)
    for name, threshold in thresholds.items():
        config = f'configs/my_data/{name}_tiny_own_data.py'
        assert f'python tools/train.py {config}' in readme
        work_dir = tmp_path / 'work_dirs' / name
        output = run_tool([TRAIN, config, '--work-dir', str(work_dir)] +
                          options + [f'model.test_cfg.score_thr={threshold}'],
                          tmp_path)
        if threshold:
            assert ('8 of 8 validation images with ground-truth objects got '
                    'no detection above the test threshold (score_thr 1, '
                    'model.test_cfg.score_thr)') in output
        else:
            assert 'coco/bbox_mAP' in output  # validated on the 8 images
        dumped = Config.fromfile(str(work_dir / f'{name}_tiny_own_data.py'))
        assert dumped.model.bbox_head.num_classes == 5
        assert dumped.train_dataloader.dataset.metainfo.classes == classes
        assert dumped.train_dataloader.dataset.pipeline[2].scale == (128,
                                                                     128)
        weights = torch.load(str(work_dir / 'epoch_1.pth'),
                             weights_only=True)['state_dict']
        classifier = [v for k, v in weights.items() if k.endswith(
            ('retina_cls.weight', 'atss_cls.weight'))]
        assert [w.shape[0] for w in classifier] == [2 * 5]  # anchors x cls
    preds = str(tmp_path / 'preds.pkl')
    output = run_tool([TEST, 'configs/my_data/rs_atss_tiny_own_data.py',
                       str(tmp_path / 'work_dirs' / 'rs_atss' / 'epoch_1.pth'),
                       '--work-dir', str(tmp_path / 'test'), '--out', preds,
                       '--show-dir', 'painted'], tmp_path)
    assert f'predictions (pickle): {preds}' in output
    painted = glob.glob(str(tmp_path / 'test' / '*' / 'painted' / '*.png'))
    assert len(painted) == 8
    with open(preds, 'rb') as f:
        assert len(pickle.load(f)) == 8


def test_design_names_hops_that_exist():
    # the design guide gives each hop of the loss path as file:function;
    # a rename must not leave the doc pointing at nothing
    text = open(osp.join(REPO, 'docs', 'advanced_guides', 'design.md')).read()
    hops = set(re.findall(r'\b(\w+\.py):(\w+)(?:\.(\w+))?', text))
    assert len(hops) >= 20
    for file_name, name, method in hops:
        paths = glob.glob(osp.join(REPO, 'alrp_mmdet', '**', file_name),
                          recursive=True)
        assert len(paths) == 1, file_name
        source = open(paths[0]).read()
        assert re.search(rf'^(class|def) {name}\b', source, re.M), \
            f'{file_name}:{name}'
        if method:
            assert re.search(rf'^    def {method}\b', source, re.M), \
                f'{file_name}:{name}.{method}'


def test_readme_is_a_first_page_and_every_link_of_the_docs_resolves():
    with open(osp.join(REPO, 'README.md')) as f:
        assert len(f.read().splitlines()) <= 200
    pages = DOCS + glob.glob(osp.join(REPO, 'configs', '*', 'README.md'))
    for page in pages:
        with open(page) as f:
            targets = re.findall(r'\]\(([^)\s]+)\)', f.read())
        for target in targets:
            if re.match(r'[a-z]+://', target) or target.startswith('#'):
                continue
            path = osp.join(osp.dirname(page), target.split('#')[0])
            assert osp.exists(path), f'{osp.relpath(page, REPO)}: {target}'
