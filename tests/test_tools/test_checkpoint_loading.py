"""Checkpoints through the tools: a crafted pickle is refused unrun on
every path that loads one, and mmdet's own tools load and resume the
package's checkpoints with nothing exported."""
import os.path as osp

import mmdet
import pytest
import torch

from ..conftest import (DEMO_CONFIG, REPO, TEST, TRAIN, TRAIN_OVERRIDES,
                        run_tool, train_one_epoch)

CORRELATION = osp.join(REPO, 'tools', 'analysis_tools', 'correlation.py')
MMDET_TOOLS = osp.join(osp.dirname(mmdet.__file__), '.mim', 'tools')


class WritesAFile:
    """Unpickling it calls open(marker, 'w')."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, 'w'))


@pytest.fixture(scope='module')
def checkpoints(synthetic_root, tmp_path_factory):
    """(a checkpoint of the demo config written by tools/train.py, the same
    with a payload in its meta, the file the payload would write)."""
    work_dir = tmp_path_factory.mktemp('checkpoint_work')
    _, checkpoint = train_one_epoch(DEMO_CONFIG, synthetic_root, work_dir)
    state = torch.load(checkpoint, weights_only=True)
    marker = str(work_dir / 'payload_ran')
    state['meta']['note'] = WritesAFile(marker)
    crafted = str(work_dir / 'crafted.pth')
    torch.save(state, crafted)
    return checkpoint, crafted, marker


def loads_of(crafted, work_dir):
    """The four commands that load a checkpoint given by the user."""
    return {
        'test.py': [TEST, DEMO_CONFIG, crafted, '--work-dir', work_dir],
        'train.py --resume': [TRAIN, DEMO_CONFIG, '--resume', crafted,
                              '--work-dir', work_dir],
        'load_from': [TRAIN, DEMO_CONFIG, '--work-dir', work_dir,
                      '--cfg-options', f'load_from={crafted}'],
        'correlation.py': [CORRELATION, DEMO_CONFIG, crafted, '--out-dir',
                           work_dir],
    }


@pytest.mark.parametrize('command', ['test.py', 'train.py --resume',
                                     'load_from', 'correlation.py'])
def test_a_crafted_checkpoint_is_refused_unrun(checkpoints, synthetic_root,
                                               tmp_path, command):
    _, crafted, marker = checkpoints
    args = loads_of(crafted, str(tmp_path / 'work'))[command]
    output = run_tool(args, synthetic_root, succeed=False)
    assert (f'UnsafeCheckpointError: refused to load checkpoint {crafted}: '
            'its pickle calls io.open') in output, output[-3000:]
    assert f'ALRP_TRUSTED_CHECKPOINTS={crafted}' in output
    assert not osp.exists(marker)


def test_mmdets_own_test_py_loads_the_packages_checkpoint(
        checkpoints, synthetic_root, tmp_path):
    # used to stop with "Weights only load failed" under torch >= 2.6
    checkpoint, _, _ = checkpoints
    output = run_tool([osp.join(MMDET_TOOLS, 'test.py'), DEMO_CONFIG,
                       checkpoint, '--work-dir', str(tmp_path / 'test'),
                       '--cfg-options', 'model.test_cfg.score_thr=0.0'],
                      synthetic_root)
    assert 'Load checkpoint' in output and 'coco/bbox_mAP' in output


def test_mmdets_own_train_py_resumes_the_packages_checkpoint(
        checkpoints, synthetic_root, tmp_path):
    checkpoint, _, _ = checkpoints
    work_dir = tmp_path / 'resumed'
    output = run_tool([osp.join(MMDET_TOOLS, 'train.py'), DEMO_CONFIG,
                       '--resume', checkpoint, '--work-dir', str(work_dir),
                       '--cfg-options'] + TRAIN_OVERRIDES +
                      ['train_cfg.max_epochs=2', 'train_cfg.val_interval=3'],
                      synthetic_root)
    assert 'resumed epoch: 1' in output, output[-3000:]
    assert osp.exists(work_dir / 'epoch_2.pth')
    assert torch.load(str(work_dir / 'epoch_2.pth'),
                      weights_only=True)['meta']['epoch'] == 2
