"""tools/analysis_tools/compare_losses.py: a small grid trained and tested
end to end on generated data, read back from the runs' own test logs;
finished runs are kept, an interrupted one resumes, bad data is refused
before any training."""
import glob
import importlib.util
import json
import os.path as osp
import statistics

import pytest
from mmengine import Config

from alrp_mmdet.datasets import generate_dataset
from ..conftest import REPO, copy_own_data_configs, run_tool

TOOL = osp.join(REPO, 'tools', 'analysis_tools', 'compare_losses.py')
CLASSES = ('rectangle', 'ellipse', 'triangle', 'cross')
COLUMNS = ['loss', 'config', 'runs', 'AP', 'AP50', 'AP75', 'AP90', 'oLRP',
           'oLRP loc', 'oLRP FP', 'oLRP FN', 's / iter']
#: one epoch of two iterations, each logged, no validation; every score
#: kept at test (after two iterations none reaches the usual 0.05)
SHORT = ['train_cfg.max_epochs=1', 'train_cfg.val_interval=2',
         'default_hooks.logger.interval=1',
         'default_hooks.checkpoint.interval=1', 'model.test_cfg.score_thr=0.0']


@pytest.fixture(scope='module')
def own_data(tmp_path_factory):
    root = tmp_path_factory.mktemp('compare_losses')
    generate_dataset(str(root / 'data' / 'shapes'), dict(train=4, val=2),
                     image_size=64, num_classes=4, max_objects=3)
    copy_own_data_configs(root, data_root='data/shapes/', classes=CLASSES,
                          image_size=64, batch_size=2)
    return root


def compare(root, options=SHORT, succeed=True):
    return run_tool([TOOL, 'configs/my_data/coco_format_data.py',
                     '--family', 'atss', '--losses', 'focal', 'alrp',
                     '--seeds', '0', '1', '--work-dir', 'work_dirs/compare',
                     '--cfg-options', *options], root, timeout=900,
                    succeed=succeed)


def table_rows(path):
    with open(path) as f:
        lines = [line for line in f if line.startswith('|')]
    return [[cell.strip() for cell in line.strip().strip('|').split('|')]
            for line in lines]


def logged_test_ap(run_dir):
    """AP (%) of the run's latest test as mmengine's logger wrote it."""
    logs = sorted(glob.glob(osp.join(run_dir, 'test', '*', '*.json')))
    with open(logs[-1]) as f:
        return 100 * json.loads(f.readline())['lrp/bbox_mAP']


def test_a_grid_trains_tests_and_writes_one_table(own_data):
    output = compare(own_data)
    for number, (seed, loss) in enumerate(
            [(0, 'focal'), (0, 'alrp'), (1, 'focal'), (1, 'alrp')], 1):
        assert f'run {number} of 4: {loss}, seed {seed}: training' in output
    work_dir = own_data / 'work_dirs' / 'compare'
    header, rule, *rows = table_rows(work_dir / 'comparison.md')
    assert header == COLUMNS and len(rule) == len(COLUMNS)
    assert [row[:3] for row in rows] == [
        ['focal', '`atss_focal_tiny_own_data.py`', '2'],
        ['alrp', '`alrp_atss_tiny_own_data.py`', '2']]
    for row in rows:
        loss = row[0]
        aps = [logged_test_ap(work_dir / 'runs' / f'{loss}_seed{seed}')
               for seed in (0, 1)]
        mean, sd = statistics.mean(aps), statistics.stdev(aps)
        cell = row[3].strip('*')
        assert cell.startswith(f'{mean:.1f} ± {sd:.1f} (')
        assert cell.endswith(f'({aps[0]:.1f}, {aps[1]:.1f})')
        for value in row[4:11]:
            # an LRP component is undefined where nothing is detected right
            number = value.strip('*').split(' ')[0]
            assert number == 'undefined' or 0 <= float(number) <= 100
        assert float(row[11].strip('*')) > 0
    with open(work_dir / 'comparison.png', 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
    # the data config reached the runs: 4 classes, the user's files
    with open(work_dir / 'runs' / 'alrp_seed0' / 'result.json') as f:
        result = json.load(f)
    (dumped,) = glob.glob(str(work_dir / 'runs' / 'alrp_seed0' / '*' /
                              'vis_data' / 'config.py'))
    with open(dumped) as f:
        text = f.read()
    assert "'cross'" in text and 'num_classes=4' in text
    assert result['checkpoint'].endswith('epoch_1.pth')

    # a second call keeps what is done; an interrupted run resumes
    run_dir = work_dir / 'runs' / 'alrp_seed1'
    (run_dir / 'result.json').unlink()
    output = compare(own_data)
    assert output.count('done already') == 3
    assert 'run 4 of 4: alrp, seed 1: training' in output
    with open(run_dir / 'compare_losses.log') as f:
        assert 'resumed epoch: 1' in f.read()
    with open(run_dir / 'result.json') as f:
        assert json.load(f)['metrics']['AP'] == pytest.approx(
            logged_test_ap(run_dir))

    # results made with other settings are not mixed into the table
    output = compare(own_data, SHORT + ['model.test_cfg.max_per_img=50'],
                     succeed=False)
    assert 'focal_seed0 was made with another config' in output


def test_data_that_fails_the_checks_is_refused_before_training(own_data):
    with open(own_data / 'configs' / 'my_data' / 'coco_format_data.py') as f:
        text = f.read()
    bad = own_data / 'configs' / 'my_data' / 'wrong_classes.py'
    bad.write_text(text.replace("'cross'", "'star'"))
    output = run_tool([TOOL, str(bad), '--family', 'atss', '--losses',
                       'focal', '--work-dir', 'work_dirs/refused'],
                      own_data, succeed=False)
    assert 'star' in output
    assert not (own_data / 'work_dirs' / 'refused' / 'runs').exists()


def compare_losses_tool():
    spec = importlib.util.spec_from_file_location('compare_losses', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_loss_whose_config_inherits_another_is_written_and_checked(
        own_data, monkeypatch):
    """The DINO configs other than focal's inherit focal's own-data config,
    which the grid must write even when focal is not requested."""
    monkeypatch.chdir(own_data)
    tool = compare_losses_tool()
    args = tool.parse_args([
        'configs/my_data/coco_format_data.py', '--family', 'dino',
        '--losses', 'qfl', 'rs', '--work-dir', 'work_dirs/inherits'])
    configs = tool.write_configs(args)
    assert sorted(tool.check_configs(configs, [])) == ['qfl', 'rs']
    heads = {loss: Config.fromfile(path).model.bbox_head
             for loss, path in configs.items()}
    assert heads['qfl'].loss_cls.type == 'QualityFocalLoss'
    assert heads['rs'].type == 'RankSortDINOHead'
    assert {head.num_classes for head in heads.values()} == {len(CLASSES)}


@pytest.mark.parametrize('argv, message', [
    (['--family', 'fcos', '--losses', 'gfl'], 'fcos has no loss'),
    (['--family', 'atss', '--seeds', '0', '0'], 'must not repeat'),
])
def test_an_unclear_grid_is_refused(own_data, argv, message):
    output = run_tool([TOOL, 'configs/my_data/coco_format_data.py',
                       '--work-dir', 'work_dirs/x', *argv], own_data,
                      succeed=False)
    assert message in output
