"""Data settings of a config that do not reach its dataloaders.

mmengine evaluates a base config before the config that inherits it, so a
top-level ``data_root = 'data/mine/'`` (or ``classes``, ``metainfo``,
``image_size``) written on top of a base changes that variable only: the
dataloaders and evaluators the base built from it keep the base's values.
With a matching class count the run would train and test on the base's
data without a word. :func:`check_data_settings` compares the top-level
values with what the dataloaders and evaluators hold and refuses a config
where they differ.
"""
import os.path as osp
from typing import Iterator, List, Optional, Tuple

from mmengine.config import Config

#: dataloader -> the evaluator that scores its predictions
LOADER_EVALUATORS = (('train_dataloader', None),
                     ('val_dataloader', 'val_evaluator'),
                     ('test_dataloader', 'test_evaluator'))
OWN_DATA_CONFIG = 'configs/own_data/coco_format_data.py'


class DataConfigError(ValueError):
    """The config's top-level data settings and its dataloaders differ."""


def leaf_datasets(dataset, key: str) -> Iterator[Tuple[str, dict]]:
    """The leaf dataset dicts of a dataset dict, through mmengine's
    wrappers (``dataset=`` or ``datasets=[...]``), with their config keys."""
    if 'dataset' in dataset:
        yield from leaf_datasets(dataset['dataset'], f'{key}.dataset')
    elif 'datasets' in dataset:
        for index, inner in enumerate(dataset['datasets']):
            yield from leaf_datasets(inner, f'{key}.datasets.{index}')
    else:
        yield key, dataset


def _evaluators(evaluator) -> list:
    if evaluator is None:
        return []
    return list(evaluator) if isinstance(evaluator, (list, tuple)) \
        else [evaluator]


def _resize_scales(pipeline) -> Iterator[object]:
    for step in pipeline or []:
        if isinstance(step, dict) and step.get('type') == 'Resize' and \
                'scale' in step:
            yield step['scale']


def _top_level_classes(cfg: Config, problems: List[str]
                       ) -> List[Tuple[str, tuple]]:
    """The config's top-level class lists (``classes``,
    ``metainfo.classes``) by key; a problem when both are set and
    differ."""
    named = [(key, tuple(value)) for key, value in (
        ('classes', cfg.get('classes')),
        ('metainfo.classes', (cfg.get('metainfo') or {}).get('classes')))
             if value is not None]
    if len(named) == 2 and named[0][1] != named[1][1]:
        problems.append(f'metainfo.classes is {named[1][1]}, classes is '
                        f'{named[0][1]}')
    return named


def _expected_scale(image_size) -> Optional[tuple]:
    """The Resize scale an ``image_size`` of an int or a pair means."""
    if isinstance(image_size, int):
        return (image_size, image_size)
    if isinstance(image_size, (list, tuple)) and len(image_size) == 2:
        return tuple(image_size)
    return None


def data_setting_problems(cfg: Config) -> List[str]:
    """Each place where a dataloader or evaluator of ``cfg`` disagrees with
    the config's top-level ``data_root``, ``classes``, ``metainfo.classes``
    or ``image_size`` (an int or a pair), or where an evaluator scores
    against another annotation file than its dataloader reads."""
    problems = []
    data_root = cfg.get('data_root')
    top_classes = _top_level_classes(cfg, problems)
    image_size = cfg.get('image_size')
    scale = _expected_scale(image_size)
    for loader_key, evaluator_key in LOADER_EVALUATORS:
        loader = cfg.get(loader_key)
        if not loader or 'dataset' not in loader:
            continue
        leaves = leaf_datasets(loader['dataset'], f'{loader_key}.dataset')
        for key, dataset in leaves:
            root = dataset.get('data_root')
            if data_root is not None and root is not None and \
                    osp.normpath(root) != osp.normpath(data_root):
                problems.append(f'{key}.data_root is {root!r}, data_root '
                                f'is {data_root!r}')
            own = (dataset.get('metainfo') or {}).get('classes')
            for classes_key, classes in top_classes:
                if own is None or tuple(own) != classes:
                    problems.append(f'{key}.metainfo.classes is '
                                    f'{None if own is None else tuple(own)}'
                                    f', {classes_key} is {classes}')
            for resize in _resize_scales(dataset.get('pipeline')):
                if scale is not None and isinstance(
                        resize, (list, tuple)) and tuple(resize) != scale:
                    problems.append(f'a Resize of {key}.pipeline has scale '
                                    f'{tuple(resize)}, image_size is '
                                    f'{image_size}')
            if evaluator_key is None or 'ann_file' not in dataset:
                continue
            read = osp.normpath(osp.join(root or '', dataset['ann_file']))
            for evaluator in _evaluators(cfg.get(evaluator_key)):
                scored = evaluator.get('ann_file')
                if scored is not None and osp.normpath(scored) != read:
                    problems.append(f'{evaluator_key}.ann_file is '
                                    f'{scored!r}, {key} reads {read!r}')
    return problems


def check_data_settings(cfg: Config) -> None:
    """Raise :class:`DataConfigError` listing every disagreement that
    :func:`data_setting_problems` finds."""
    problems = data_setting_problems(cfg)
    if problems:
        raise DataConfigError(
            'the data settings of this config do not reach its '
            'dataloaders and evaluators:\n  ' + '\n  '.join(problems) +
            '\nA top-level variable set on top of a base config changes '
            'only the variable, not the dicts the base built from it. Set '
            'the dataloaders\' dataset fields (data_root, metainfo, '
            'ann_file, data_prefix, pipeline) and the evaluators\' ann_file '
            f'as well, or start from {OWN_DATA_CONFIG}, which takes '
            'data_root, classes and image_size once.')
