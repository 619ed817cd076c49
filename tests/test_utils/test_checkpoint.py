import os

import torch
from torch import nn
from mmengine.logging import MessageHub
from mmengine.runner.checkpoint import _load_checkpoint, save_checkpoint

from alrp_mmdet.utils import trust_mmengine_checkpoints


def clean_env(monkeypatch):
    """Unset both variables; monkeypatch restores them after the test."""
    for name in ('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD',
                 'TORCH_FORCE_WEIGHTS_ONLY_LOAD'):
        monkeypatch.setenv(name, '0')
        monkeypatch.delenv(name)


def test_mmengine_checkpoint_with_message_hub_loads(tmp_path, monkeypatch):
    clean_env(monkeypatch)
    hub = MessageHub.get_instance('test_checkpoint')
    hub.update_scalar('train/loss', 0.5)
    checkpoint = dict(state_dict=nn.Linear(2, 1).state_dict(),
                      message_hub=hub.state_dict(), meta=dict(epoch=1))
    path = str(tmp_path / 'epoch_1.pth')
    save_checkpoint(checkpoint, path)
    trust_mmengine_checkpoints()
    assert os.environ['TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'] == '1'
    loaded = _load_checkpoint(path, map_location='cpu')
    restored = loaded['message_hub']['log_scalars']['train/loss']
    assert restored.current() == 0.5
    assert torch.equal(loaded['state_dict']['weight'],
                       checkpoint['state_dict']['weight'])


def test_respects_explicit_weights_only(monkeypatch):
    clean_env(monkeypatch)
    monkeypatch.setenv('TORCH_FORCE_WEIGHTS_ONLY_LOAD', '1')
    trust_mmengine_checkpoints()
    assert 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD' not in os.environ
