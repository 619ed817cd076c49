"""The annotation-file check: each fault named with its ids, mmdet's
deliberate drops as warnings, the config's class names against the
file's."""
import json

import pytest

from alrp_mmdet.datasets import (AnnotationFileError, annotation_file_error,
                                 check_coco_annotations)

CLASSES = ('cat', 'dog', 'bird')


def coco(**changes):
    """Three images of 100 x 80 px, one box each, categories in the order
    CLASSES (ids 1, 2, 3); ``changes`` replace top-level lists."""
    data = dict(
        images=[dict(id=i, file_name=f'{i}.png', width=100, height=80)
                for i in (1, 2, 3)],
        annotations=[dict(id=10 + i, image_id=i, category_id=i,
                          bbox=[10, 10, 20, 30], area=600, iscrowd=0)
                     for i in (1, 2, 3)],
        categories=[dict(id=i + 1, name=name)
                    for i, name in enumerate(CLASSES)])
    data.update(changes)
    return data


def check(tmp_path, data, classes=CLASSES, images=None, text=None,
          **kwargs):
    path = tmp_path / 'instances.json'
    path.write_text(text if text is not None else json.dumps(data))
    image_dir = None
    if images is not None:
        image_dir = tmp_path / 'images'
        image_dir.mkdir(exist_ok=True)
        for name in images:
            (image_dir / name).write_bytes(b'')
        image_dir = str(image_dir)
    return check_coco_annotations(str(path), classes, image_dir, **kwargs)


def with_annotation(**fields):
    data = coco()
    data['annotations'][1].update(fields)
    return data


def test_a_clean_file_passes(tmp_path):
    report = check(tmp_path, coco(), images=['1.png', '2.png', '3.png'])
    assert (report.errors, report.warnings) == ([], [])
    assert (report.num_images, report.num_annotations) == (3, 3)


def test_classes_in_another_order_are_refused_with_the_files_order(
        tmp_path):
    errors = check(tmp_path, coco(), classes=('dog', 'cat', 'bird')).errors
    assert len(errors) == 1
    assert "the config lists its classes as ('dog', 'cat', 'bird'), the " \
        "file in the order ('cat', 'dog', 'bird')" in errors[0]


def test_a_subset_of_classes_in_the_files_order_passes(tmp_path):
    report = check(tmp_path, coco(), classes=('cat', 'bird'))
    assert report.errors == []
    assert report.warnings == [
        "1 annotation (12): of a category outside the config's classes "
        '(not trained or scored)']


def test_a_misspelt_class_is_refused_with_the_closest_name(tmp_path):
    errors = check(tmp_path, coco(), classes=('cat', 'dgo', 'bird')).errors
    assert len(errors) == 1
    assert "class 'dgo' of the config is no category of the file " \
        "(closest: 'dog')" in errors[0]
    assert "The file's categories: ('cat', 'dog', 'bird')" in errors[0]


@pytest.mark.parametrize('fields, problem', [
    (dict(bbox=[1, 2, 3]), 'bbox has 3 numbers, not 4 [x, y, w, h]'),
    (dict(bbox=[1, 2, 3, 4, 5]), 'bbox has 5 numbers, not 4 [x, y, w, h]'),
    (dict(bbox=['1', 2, 3, 4]), 'bbox holds a value that is not a number'),
    (dict(bbox=[1, 2, float('nan'), 4]), 'bbox holds NaN or infinity'),
    (dict(bbox=None), 'bbox is a NoneType, not a list [x, y, w, h]'),
    (dict(area='600'), 'area is not a number'),
    (dict(category_id=7), 'category_id names no category of the file'),
    (dict(image_id=99), 'image_id names no image of the file'),
])
def test_a_bad_annotation_is_named_by_its_id(tmp_path, fields, problem):
    errors = check(tmp_path, with_annotation(**fields)).errors
    assert errors == [f'1 annotation (12): {problem}']


def test_missing_keys_are_named(tmp_path):
    data = coco()
    del data['annotations'][0]['bbox']
    del data['images'][2]['file_name']
    errors = check(tmp_path, data).errors
    assert "1 image record (3): no key 'file_name'" in errors
    assert "1 annotation record (11): no key 'bbox'" in errors


def test_duplicate_ids_are_refused(tmp_path):
    data = coco()
    data['images'][2]['id'] = 2  # pycocotools keeps the last image of id 2
    data['annotations'][2]['image_id'] = 2
    data['annotations'][1]['id'] = 11
    errors = check(tmp_path, data).errors
    assert any(line.startswith('1 image id (2) used more than once: ') and
               "one image's file would train with another's boxes" in line
               for line in errors), errors
    assert any(line.startswith('1 annotation id (11) used more than once')
               for line in errors), errors


def test_a_truncated_file_is_named_with_its_position(tmp_path):
    text = json.dumps(coco())
    report = check(tmp_path, None, text=text[:57])
    assert len(report.errors) == 1
    assert report.errors[0].startswith('not valid JSON at line 1, column ')
    assert 'is the file cut short?' in report.errors[0]


def test_missing_top_level_lists(tmp_path):
    data = coco()
    del data['annotations'], data['categories']
    errors = check(tmp_path, data, classes=None).errors
    assert errors == ['the file has no "annotations" list',
                      'the file has no "categories" list']
    # a test-dev image-info file holds no annotations
    data = coco()
    del data['annotations']
    assert check(tmp_path, data, require_annotations=False).errors == []


def test_missing_image_files_are_named(tmp_path):
    errors = check(tmp_path, coco(), images=['1.png']).errors
    assert len(errors) == 1
    assert errors[0].startswith('2 images (2, 3) whose file is not in ')


def test_mmdets_deliberate_drops_are_warnings(tmp_path):
    data = coco()
    data['annotations'] += [
        dict(id=20, image_id=1, category_id=1, bbox=[5, 5, 0.5, 9], area=4.5),
        dict(id=21, image_id=1, category_id=1, bbox=[150, 5, 9, 9], area=81),
        dict(id=22, image_id=2, category_id=2, bbox=[5, 5, 9, 9], area=81,
             iscrowd=1),
    ]
    report = check(tmp_path, data)
    assert report.errors == []
    assert report.warnings == [
        '1 annotation (20): box under 1 pixel wide or high, or area <= 0 '
        '(mmdet drops it)',
        '1 annotation (21): box outside its image (mmdet drops it)',
        '1 annotation (22): crowd or ignore region (not trained as an '
        'object)']


def test_many_ids_are_listed_up_to_ten(tmp_path):
    data = coco()
    data['annotations'] = [
        dict(id=100 + k, image_id=1, category_id=1, bbox=[1, 2, 3], area=1)
        for k in range(25)]
    errors = check(tmp_path, data).errors
    assert errors == ['25 annotations (100, 101, 102, 103, 104, 105, 106, '
                      '107, 108, 109 and 15 more): bbox has 3 numbers, not 4 '
                      '[x, y, w, h]']


def test_one_error_lists_every_file(tmp_path):
    good = check(tmp_path, coco())
    bad = check(tmp_path, coco(), classes=('dog', 'cat', 'bird'))
    assert annotation_file_error([good]) is None
    error = annotation_file_error([good, bad])
    assert isinstance(error, AnnotationFileError)
    assert str(error).count('instances.json:\n  - ') == 1
