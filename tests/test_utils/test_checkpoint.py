"""Checkpoints load weights-only: mmengine's types allowed, code refused."""
import fractions
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.logging import MessageHub
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint
from torch import nn

from alrp_mmdet.utils import CheckpointReadError, UnsafeCheckpointError
from alrp_mmdet.utils.checkpoint import TRUST_VARIABLE


class WritesAFile:
    """A pickle payload: unpickling it calls open(marker, 'w')."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, 'w'))


def crafted_checkpoint(tmp_path, payload):
    path = str(tmp_path / 'crafted.pth')
    torch.save(dict(state_dict=nn.Linear(2, 1).state_dict(),
                    meta=dict(payload=payload)), path)
    return path


def test_nothing_turns_the_protection_off_for_the_process():
    # importing the package used to set TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1
    import alrp_mmdet  # noqa: F401
    assert 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD' not in os.environ


def test_mmengine_checkpoint_with_message_hub_loads(tmp_path, monkeypatch):
    monkeypatch.delenv(TRUST_VARIABLE, raising=False)
    hub = MessageHub.get_instance('test_checkpoint')
    hub.update_scalar('train/loss', 0.5)
    hub.update_info('float64_info', np.float64(2.5))
    checkpoint = dict(state_dict=nn.Linear(2, 1).state_dict(),
                      message_hub=hub.state_dict(),
                      meta=dict(epoch=1, array=np.arange(3, dtype=np.int32)))
    path = str(tmp_path / 'epoch_1.pth')
    save_checkpoint(checkpoint, path)
    loaded = _load_checkpoint(path, map_location='cpu')
    restored = loaded['message_hub']['log_scalars']['train/loss']
    assert restored.current() == 0.5
    assert loaded['message_hub']['runtime_info']['float64_info'] == 2.5
    assert loaded['meta']['array'].tolist() == [0, 1, 2]
    assert torch.equal(loaded['state_dict']['weight'],
                       checkpoint['state_dict']['weight'])


def test_a_pickle_that_calls_anything_else_is_refused_unrun(
        tmp_path, monkeypatch):
    monkeypatch.delenv(TRUST_VARIABLE, raising=False)
    marker = tmp_path / 'payload_ran'
    path = crafted_checkpoint(tmp_path, WritesAFile(str(marker)))
    with pytest.raises(UnsafeCheckpointError) as error:
        _load_checkpoint(path, map_location='cpu')
    message = str(error.value)
    assert f'refused to load checkpoint {path}: its pickle calls ' \
        'io.open' in message
    assert f'{TRUST_VARIABLE}={path}' in message
    assert not marker.exists()


def test_a_file_named_as_trusted_loads_fully(tmp_path, monkeypatch):
    path = crafted_checkpoint(tmp_path, fractions.Fraction(1, 3))
    other = str(tmp_path / 'other.pth')
    torch.save(dict(meta=dict(payload=fractions.Fraction(1, 3))), other)
    monkeypatch.setenv(TRUST_VARIABLE, os.pathsep.join(
        ['unrelated.pth', osp.relpath(path)]))
    assert _load_checkpoint(path)['meta']['payload'] == \
        fractions.Fraction(1, 3)
    with pytest.raises(UnsafeCheckpointError, match='fractions.Fraction'):
        _load_checkpoint(other)  # only the files it names


@pytest.mark.parametrize('keep', [0, 100, 4000])
def test_a_checkpoint_cut_short_is_named(tmp_path, keep):
    path = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=nn.Linear(64, 64).state_dict()), path)
    with open(path, 'rb') as f:
        head = f.read(keep)
    with open(path, 'wb') as f:
        f.write(head)
    with pytest.raises(CheckpointReadError,
                       match=f'cannot read checkpoint {path} \\({keep} bytes'
                       r'\): .* The file is cut short'):
        _load_checkpoint(path)


def test_a_missing_checkpoint_stays_mmengines_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='can not be found'):
        _load_checkpoint(str(tmp_path / 'none.pth'))
