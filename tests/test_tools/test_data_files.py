"""The tools check the annotation files a config reads before anything is
built, and name what is wrong."""
import json
import os.path as osp

from alrp_mmdet.datasets import generate_dataset
from ..conftest import REPO, TEST, TRAIN, copy_own_data_configs, run_tool

CHECK = osp.join(REPO, 'tools', 'analysis_tools', 'check_annotations.py')
CONFIG = 'configs/my_data/alrp_atss_tiny_own_data.py'
FILE_ORDER = ('rectangle', 'ellipse', 'triangle')


def own_data(root, classes=FILE_ORDER):
    generate_dataset(str(root / 'data' / 'shapes'), dict(train=6, val=4),
                     image_size=64, num_classes=3)
    copy_own_data_configs(root, data_root='data/shapes/', classes=classes,
                          image_size=64, batch_size=2)
    return root / 'data' / 'shapes' / 'annotations'


def test_classes_in_another_order_are_refused_before_training(tmp_path):
    # mmdet would number the labels in the file's order: 2 of the 3 classes
    # would train and be scored under each other's names
    own_data(tmp_path, classes=('ellipse', 'rectangle', 'triangle'))
    work_dir = tmp_path / 'work'
    output = run_tool([TRAIN, CONFIG, '--work-dir', str(work_dir)],
                      tmp_path, succeed=False)
    assert 'AnnotationFileError: annotation file(s) that mmdet would read ' \
        'wrongly or not at all:\ndata/shapes/annotations/' \
        'instances_train.json:\n  - the config lists its classes as ' \
        "('ellipse', 'rectangle', 'triangle'), the file in the order " \
        "('rectangle', 'ellipse', 'triangle')" in output, output[-3000:]
    assert 'instances_val.json:\n  - the config lists' in output
    assert not work_dir.exists() or not list(work_dir.glob('*.pth'))


def test_a_misspelt_class_is_refused_by_test_py_naming_the_closest(
        tmp_path):
    own_data(tmp_path, classes=('rectangle', 'elipse', 'triangle'))
    output = run_tool([TEST, CONFIG, 'unused.pth', '--work-dir',
                       str(tmp_path / 'work')], tmp_path, succeed=False)
    assert "class 'elipse' of the config is no category of the file " \
        "(closest: 'ellipse')" in output, output[-3000:]


def test_a_duplicate_image_id_and_a_missing_image_are_listed(tmp_path):
    annotations = own_data(tmp_path)
    train = annotations / 'instances_train.json'
    data = json.loads(train.read_text())
    data['images'][1]['id'] = data['images'][0]['id']
    train.write_text(json.dumps(data))
    missing = tmp_path / 'data' / 'shapes' / 'train' / \
        data['images'][2]['file_name']
    missing.unlink()
    output = run_tool([TRAIN, CONFIG, '--work-dir', str(tmp_path / 'w')],
                      tmp_path, succeed=False)
    first = data['images'][0]['id']
    assert f'1 image id ({first}) used more than once' in output, \
        output[-3000:]
    assert f'1 image ({data["images"][2]["id"]}) whose file is not in ' \
        'data/shapes/train/' in output


def test_the_check_as_a_tool_of_its_own(tmp_path):
    annotations = own_data(tmp_path)
    output = run_tool([CHECK, CONFIG], tmp_path)
    assert 'data/shapes/annotations/instances_train.json: 6 images' in output
    assert '0 error(s)' in output and 'error:' not in output
    val = annotations / 'instances_val.json'
    val.write_text(val.read_text()[:-40])  # cut short
    output = run_tool([CHECK, '--ann-file', str(val), '--classes',
                       *FILE_ORDER], tmp_path, succeed=False)
    assert '1 error(s)' in output
    assert 'error: not valid JSON at line 1' in output
