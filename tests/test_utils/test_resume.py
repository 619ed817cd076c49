"""--resume of a checkpoint trained with other heads or losses is refused,
naming both."""
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from alrp_mmdet.utils import ResumeMismatchError, check_resume
from alrp_mmdet.utils.resume import model_types
from ..conftest import REPO

DEMO = osp.join(REPO, 'configs', 'demo')
OWN_DATA = osp.join(REPO, 'configs', 'own_data')
ALRP = osp.join(OWN_DATA, 'alrp_atss_tiny_own_data.py')
RS = osp.join(OWN_DATA, 'rs_atss_tiny_own_data.py')


def checkpoint_of(config, path):
    """A checkpoint whose meta holds the config's text, as mmengine saves."""
    torch.save(dict(state_dict={}, meta=dict(
        cfg=Config.fromfile(config).pretty_text, epoch=1)), str(path))
    return str(path)


def resuming(config, checkpoint, work_dir):
    cfg = Config.fromfile(config)
    cfg.resume, cfg.load_from, cfg.work_dir = True, checkpoint, work_dir
    return cfg


def test_model_types_are_every_head_and_loss():
    assert model_types(Config.fromfile(ALRP).model) == {
        'ALRPATSSHead', 'ALRPLoss', 'GIoULoss'}


@pytest.mark.parametrize('name', sorted(os.listdir(DEMO)))
def test_every_demo_config_resumes_its_own_checkpoint(tmp_path, name):
    # their texts also hold the heads files' other variables (e.g. the RS
    # heads file's rs_mask_rcnn under RS Faster R-CNN): only the model counts
    config = osp.join(DEMO, name)
    checkpoint = checkpoint_of(config, tmp_path / 'epoch_1.pth')
    check_resume(resuming(config, checkpoint, str(tmp_path)))


def test_resuming_another_loss_is_refused_naming_both(tmp_path):
    checkpoint = checkpoint_of(RS, tmp_path / 'epoch_1.pth')
    with pytest.raises(ResumeMismatchError) as error:
        check_resume(resuming(ALRP, checkpoint, str(tmp_path)))
    assert str(error.value).startswith(
        f'cannot resume {checkpoint}: it was trained with CrossEntropyLoss, '
        'RankSortATSSHead, RankSortLoss, this config trains with '
        'ALRPATSSHead, ALRPLoss')
    assert f'--cfg-options load_from={checkpoint} and without --resume' in \
        str(error.value)


def test_resuming_the_same_run_and_loading_weights_pass(tmp_path):
    checkpoint = checkpoint_of(ALRP, tmp_path / 'epoch_1.pth')
    check_resume(resuming(ALRP, checkpoint, str(tmp_path)))
    cfg = resuming(RS, checkpoint, str(tmp_path))
    cfg.resume = False  # load_from alone starts a new run from the weights
    check_resume(cfg)


def test_the_latest_checkpoint_of_the_work_dir_is_checked(tmp_path):
    checkpoint = checkpoint_of(RS, tmp_path / 'epoch_3.pth')
    (tmp_path / 'last_checkpoint').write_text(checkpoint)
    with pytest.raises(ResumeMismatchError, match='epoch_3.pth'):
        check_resume(resuming(ALRP, None, str(tmp_path)))
