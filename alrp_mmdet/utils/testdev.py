"""COCO test-dev submissions through mmdet's CocoMetric ``format_only``."""
import os
import os.path as osp
import zipfile

from mmengine.config import Config


def testdev_prefix(work_dir: str, name: str) -> str:
    """Path of the server's result file, without ``.json``."""
    return osp.join(work_dir, f'detections_test-dev2017_{name}_results')


def apply_testdev(cfg: Config, name: str, testdev_config: str) -> str:
    """Point the test set of ``cfg`` at COCO test-dev and make the evaluator
    only write results; returns the result file prefix.

    The test-dev annotation file, image folder and evaluator come from
    ``testdev_config`` (``configs/_base_/datasets/coco_testdev.py``); data
    root and test pipeline (its scale) stay those
    of ``cfg``, minus ``LoadAnnotations`` (test-dev has none).
    """
    if not name or any(c in name for c in '/\\ '):
        raise ValueError(f'--test-dev needs a method name without '
                         f'slashes or spaces, got {name!r}')
    testdev = Config.fromfile(testdev_config)
    dataset = cfg.test_dataloader.dataset
    source = testdev.test_dataloader.dataset
    dataset.ann_file = source.ann_file
    dataset.data_prefix = source.data_prefix
    dataset.test_mode = True
    dataset.pipeline = [
        step for step in dataset.pipeline if step.type != 'LoadAnnotations'
    ]
    prefix = testdev_prefix(cfg.work_dir, name)
    cfg.test_evaluator = dict(
        testdev.test_evaluator,
        ann_file=osp.join(dataset.get('data_root', ''), source.ann_file),
        outfile_prefix=prefix)
    return prefix


def package_submission(prefix: str) -> str:
    """Rename CocoMetric's ``PREFIX.bbox.json`` to the name the COCO server
    expects, ``PREFIX.json``, and zip it into ``PREFIX.zip``; returns the
    zip's path."""
    written = f'{prefix}.bbox.json'
    if not osp.exists(written):
        raise FileNotFoundError(f'{written} was not written; did the test '
                                'run produce detections?')
    result = f'{prefix}.json'
    os.replace(written, result)
    archive = f'{prefix}.zip'
    with zipfile.ZipFile(archive, 'w', zipfile.ZIP_DEFLATED) as zf:
        zf.write(result, arcname=osp.basename(result))
    return archive
