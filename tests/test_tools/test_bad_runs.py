"""Training runs that must stop with a clear message, not train wrongly."""
import json
import os.path as osp
import re

import torch

from alrp_mmdet.datasets import generate_dataset
from ..conftest import DEMO_CONFIG, TRAIN, TRAIN_OVERRIDES, run_tool


def test_num_classes_below_the_datasets_is_refused(synthetic_root, tmp_path):
    # 2 classes on 3-class data: class 2 is mmdet's background index and its
    # objects would silently train as negatives
    output = run_tool([TRAIN, DEMO_CONFIG, '--work-dir', str(tmp_path),
                       '--cfg-options'] + TRAIN_OVERRIDES +
                      ['train_cfg.max_epochs=1',
                       'model.bbox_head.num_classes=2'],
                      synthetic_root, succeed=False)
    assert re.search(r'The `num_classes` \(2\) in ALRPATSSHead .* length of '
                     r'`classes` 3\)', output), output[-3000:]


def test_divergence_stops_at_its_iteration_and_keeps_the_checkpoint(
        synthetic_root, tmp_path):
    # SGD whose learning rate jumps 1e12-fold after the first epoch
    output = run_tool([TRAIN, DEMO_CONFIG, '--work-dir', str(tmp_path),
                       '--cfg-options'] + TRAIN_OVERRIDES + [
                           'train_cfg.max_epochs=3',
                           'train_cfg.val_interval=4',
                           'optim_wrapper.optimizer.type=SGD',
                           'optim_wrapper.optimizer.lr=0.01',
                           'param_scheduler.1.milestones=[1]',
                           'param_scheduler.1.gamma=1e12'],
                      synthetic_root, succeed=False)
    match = re.search(r'TrainingDivergedError: ALRPATSSHead: training '
                      r'diverged at iteration (\d+)', output)
    assert match, output[-3000:]
    assert int(match.group(1)) > 6  # epoch 1 has 6 iterations of 8 images
    assert 'lower learning rate' in output
    balances = [float(b) for b in re.findall(r'grad_balance: (\S+)', output)]
    assert balances and min(balances) >= 0
    state = torch.load(osp.join(tmp_path, 'epoch_1.pth'), map_location='cpu',
                       weights_only=True)['state_dict']
    assert all(torch.isfinite(v).all() for v in state.values()
               if v.is_floating_point())


def test_alrp_without_its_hook_is_warned_about_in_the_log(synthetic_root,
                                                          tmp_path):
    # the SB weight would stay at sb_init for the whole run without a word
    output = run_tool([TRAIN, DEMO_CONFIG, '--work-dir', str(tmp_path),
                       '--cfg-options'] + TRAIN_OVERRIDES +
                      ['train_cfg.max_epochs=1', 'train_cfg.val_interval=2',
                       'custom_hooks=[]'], synthetic_root)
    assert output.count('ALRPLoss is training without SelfBalanceHook: its '
                        'SB weight stays at 50 (sb_init)') == 1, output[-3000:]
    assert "custom_hooks = [dict(type='SelfBalanceHook')]" in output


def test_an_annotation_file_without_annotations_is_named(tmp_path):
    # mmengine used to stop with numpy's "need at least one array to
    # concatenate"
    data = tmp_path / 'data' / 'synthetic'
    generate_dataset(str(data), dict(train=4, val=2), image_size=96,
                     num_classes=3)
    ann_file = data / 'annotations' / 'instances_train.json'
    coco = json.loads(ann_file.read_text())
    ann_file.write_text(json.dumps(dict(coco, annotations=[])))
    output = run_tool([TRAIN, DEMO_CONFIG, '--work-dir', str(tmp_path / 'w'),
                       '--cfg-options'] + TRAIN_OVERRIDES +
                      ['train_cfg.max_epochs=1'], tmp_path, succeed=False)
    assert re.search(
        r"EmptyDatasetError: CocoDataset has no usable images: ann_file="
        r"'data/synthetic/annotations/instances_train.json' .* after "
        r"filter_cfg=\{'filter_empty_gt': True\}", output), output[-3000:]


def test_data_root_set_on_top_of_the_demo_is_refused(tmp_path):
    # the dataloaders would still read the demo's data
    output = run_tool([TRAIN, DEMO_CONFIG, '--work-dir', str(tmp_path),
                       '--cfg-options', 'data_root=data/mine/'],
                      tmp_path, succeed=False)
    assert ("DataConfigError: the data settings of this config do not "
            "reach its dataloaders and evaluators:\n  "
            "train_dataloader.dataset.data_root is 'data/synthetic/', "
            "data_root is 'data/mine/'") in output, output[-3000:]
