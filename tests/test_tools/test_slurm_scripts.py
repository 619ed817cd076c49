import os
import os.path as osp
import subprocess

from ..conftest import REPO

FAKE_SRUN = '''#!/usr/bin/env bash
printf '%s\\n' "$@" > "$SRUN_LOG"
'''


def run_script(script, args, tmp_path, **env):
    srun = tmp_path / 'srun'
    srun.write_text(FAKE_SRUN)
    srun.chmod(0o755)
    log = tmp_path / 'srun.log'
    environ = dict(os.environ, PATH=f'{tmp_path}:{os.environ["PATH"]}',
                   SRUN_LOG=str(log), **env)
    subprocess.run(['bash', osp.join(REPO, 'tools', script)] + args,
                   env=environ, check=True, capture_output=True)
    return log.read_text().splitlines()


def test_slurm_train_launches_one_task_per_gpu(tmp_path):
    argv = run_script('slurm_train.sh',
                      ['gpu', 'alrp', 'cfg.py', 'work', '--resume'],
                      tmp_path, GPUS='4', GPUS_PER_NODE='4')
    assert argv[:6] == ['-p', 'gpu', '--job-name=alrp', '--gres=gpu:4',
                        '--ntasks=4', '--ntasks-per-node=4']
    command = argv[argv.index('python'):]
    assert command == ['python', '-u', osp.join(REPO, 'tools', 'train.py'),
                       'cfg.py', '--work-dir=work', '--launcher=slurm',
                       '--resume']


def test_slurm_test_passes_checkpoint_and_testdev_name(tmp_path):
    argv = run_script('slurm_test.sh', ['gpu', 'alrp', 'cfg.py', 'ckpt.pth',
                                        '--test-dev', 'alrp'], tmp_path)
    assert '--ntasks=8' in argv
    command = argv[argv.index('python'):]
    assert command == ['python', '-u', osp.join(REPO, 'tools', 'test.py'),
                       'cfg.py', 'ckpt.pth', '--launcher=slurm',
                       '--test-dev', 'alrp']
