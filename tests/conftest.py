import os
import os.path as osp
import re
import shutil
import subprocess
import sys

import pytest

from alrp_mmdet.datasets import generate_dataset

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEMO_CONFIG = osp.join(REPO, 'configs', 'demo', 'alrp_atss_tiny_synthetic.py')
TRAIN = osp.join(REPO, 'tools', 'train.py')
TEST = osp.join(REPO, 'tools', 'test.py')


def repository_configs():
    """The configs the repository tracks (git ls-files), outside _base_:
    configs a user copies into configs/ as docs/user_guides/own_data.md
    says change nothing that the suite checks."""
    listed = subprocess.run(
        ['git', 'ls-files', '--', 'configs/*.py'], cwd=REPO, check=True,
        capture_output=True, text=True).stdout.split()
    return sorted(osp.join(REPO, path) for path in listed
                  if '/_base_/' not in path)


@pytest.fixture(scope='session')
def synthetic_root(tmp_path_factory):
    """A directory holding data/synthetic (48 train, 16 val images), the
    layout the demo config expects relative to the working directory."""
    root = tmp_path_factory.mktemp('synthetic_run')
    generate_dataset(str(root / 'data' / 'synthetic'),
                     dict(train=48, val=16), image_size=96, num_classes=3)
    return root


def run_tool(args, cwd, nproc=None, timeout=600, succeed=True):
    """Run a script of tools/ in a subprocess; returns its output. With
    ``nproc`` it runs under torchrun with that many CPU processes. The run
    must succeed, or with ``succeed=False`` fail."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([REPO, str(cwd)]),
               OMP_NUM_THREADS='1')
    env.pop('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', None)
    if nproc:
        cmd = [sys.executable, '-m', 'torch.distributed.run',
               f'--nproc_per_node={nproc}', '--master_port=29533']
    else:
        cmd = [sys.executable]
    result = subprocess.run(cmd + args, cwd=str(cwd), env=env,
                            capture_output=True, text=True, timeout=timeout)
    output = result.stdout + result.stderr
    assert (result.returncode == 0) == succeed, output[-5000:]
    return output


TRAIN_OVERRIDES = [
    'train_dataloader.batch_size=8', 'default_hooks.logger.interval=1',
    'default_hooks.checkpoint.interval=1', 'randomness.seed=0'
]


def train_one_epoch(config, cwd, work_dir):
    """One epoch of ``config`` with tools/train.py, without validation;
    returns (output, path of the epoch-1 checkpoint)."""
    output = run_tool([TRAIN, config, '--work-dir', str(work_dir),
                       '--cfg-options'] + TRAIN_OVERRIDES +
                      ['train_cfg.max_epochs=1', 'train_cfg.val_interval=2'],
                      cwd)
    return output, osp.join(str(work_dir), 'epoch_1.pth')


def edit_own_data_settings(path, **values):
    """Set the top-level lines of coco_format_data.py as a user would."""
    with open(path) as f:
        text = f.read()
    for name, value in values.items():
        text, count = re.subn(rf'^{name} = .*$', f'{name} = {value!r}',
                              text, flags=re.M)
        assert count == 1, name
    with open(path, 'w') as f:
        f.write(text)


def copy_own_data_configs(root, **values):
    """configs/own_data copied to ROOT/configs/my_data as the own-data
    guide says (with ROOT/configs/_base_ linked to the repository's), its
    settings edited."""
    configs = root / 'configs'
    shutil.copytree(osp.join(REPO, 'configs', 'own_data'),
                    configs / 'my_data')
    (configs / '_base_').symlink_to(osp.join(REPO, 'configs', '_base_'))
    edit_own_data_settings(configs / 'my_data' / 'coco_format_data.py',
                           **values)
