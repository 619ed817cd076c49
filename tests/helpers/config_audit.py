"""Helpers of the config audits: headers, loading, one CPU step."""
import os
import os.path as osp

import torch
from mmengine import Config
from mmengine.logging import MessageHub

from mmdet.registry import MODELS
from mmdet.testing import demo_mm_inputs
from mmdet.utils import register_all_modules
from ..conftest import REPO

register_all_modules()


def config_dir(folder):
    return osp.join(REPO, 'configs', folder)


def config_files(folder):
    """The config files of ``configs/<folder>``."""
    return sorted(f for f in os.listdir(config_dir(folder))
                  if f.endswith('.py'))


def load(folder, name):
    return Config.fromfile(osp.join(config_dir(folder), name))


def header(folder, name):
    """The config's comment lines as one line of words."""
    with open(osp.join(config_dir(folder), name)) as f:
        return ' '.join(''.join(line[1:] for line in f
                                if line.startswith('#')).split())


def train_step(model_cfg, image_shapes, num_classes, predict=True,
               with_mask=False):
    """Build the model and prepare it as a training run does (the
    runner's ``init_weights``: DETR-style models hold uninitialised tensors
    until then; ``train()``: norm_eval applied), take one training step on
    random images (losses finite and positive, gradients through), then,
    with ``predict``, predict them."""
    hub = MessageHub.get_instance('config_audit')
    hub.update_info('iter', 0)
    hub.update_info('epoch', 0)  # TOOD's head switches losses by epoch
    torch.manual_seed(2)
    model = MODELS.build(model_cfg)
    model.init_weights()
    model.train()
    packed = demo_mm_inputs(len(image_shapes), image_shapes,
                            num_classes=num_classes, with_mask=with_mask)
    losses = model.forward(**model.data_preprocessor(packed, True),
                           mode='loss')
    total, _ = model.parse_losses(losses)
    total.backward()
    assert torch.isfinite(total) and total.item() > 0
    if predict:
        model.eval()
        with torch.no_grad():
            results = model.forward(**model.data_preprocessor(packed, False),
                                    mode='predict')
        assert len(results) == len(image_shapes)
        assert 'bboxes' in results[0].pred_instances
    return model
