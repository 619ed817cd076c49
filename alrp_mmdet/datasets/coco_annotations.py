"""Check a COCO-format annotation file before mmdet reads it.

mmdet's ``CocoDataset`` trusts its annotation file: a missing key stops it
with a bare ``KeyError``, a truncated file with ``JSONDecodeError``, and
several faults pass without a word: two images with one id make one
image's file train with the other's boxes (pycocotools keeps the last
record of an id), an annotation of an unknown category or image is
dropped, and the config's ``classes`` are matched by name in the file's
category order, so classes listed in another order train and evaluate
under each other's names and a misspelt name drops that class and shifts
the labels of the others.

:func:`check_coco_annotations` reads the file once and returns every
problem it finds: :attr:`AnnotationReport.errors` (the file is refused)
and :attr:`AnnotationReport.warnings` (what mmdet drops on purpose: boxes
under one pixel or outside their image, crowd and ignored boxes, objects of
categories the config does not train). It takes a few seconds on a file
the size of COCO train2017 (``tools/analysis_tools/
benchmark_annotation_check.py``).
"""
import difflib
import json
import math
import os
import os.path as osp
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, NamedTuple, Optional, Sequence

#: at most this many ids are listed for one kind of problem
MAX_LISTED = 10

IMAGE_KEYS = ('id', 'file_name', 'width', 'height')
ANNOTATION_KEYS = ('id', 'image_id', 'category_id', 'bbox', 'area')
CATEGORY_KEYS = ('id', 'name')


class AnnotationFileError(ValueError):
    """An annotation file that mmdet would read wrongly or not at all."""


class AnnotationReport(NamedTuple):
    """What :func:`check_coco_annotations` found in one file.

    Attributes:
        ann_file: the file checked.
        errors: problems for which the file must be refused, one line each
            (a kind of problem with the ids it concerns).
        warnings: what mmdet drops on purpose, one line each.
        num_images: image records in the file.
        num_annotations: annotation records in the file.
    """
    ann_file: str
    errors: List[str]
    warnings: List[str]
    num_images: int
    num_annotations: int


def _listed(ids: Sequence, noun: str) -> str:
    shown = ', '.join(str(i) for i in ids[:MAX_LISTED])
    more = f' and {len(ids) - MAX_LISTED} more' if len(ids) > MAX_LISTED \
        else ''
    return f'{len(ids)} {noun}{"s" if len(ids) != 1 else ""} ({shown}{more})'


class _Findings:
    """Ids grouped by the problem they show, in the order first met."""

    def __init__(self) -> None:
        self.ids: Dict[str, List] = defaultdict(list)

    def add(self, problem: str, record_id) -> None:
        self.ids[problem].append(record_id)

    def lines(self, noun: str) -> List[str]:
        return [f'{_listed(ids, noun)}: {problem}'
                for problem, ids in self.ids.items()]


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _box_problem(box) -> Optional[str]:
    if type(box) is list and len(box) == 4 and \
            {type(value) for value in box} <= {int, float} and \
            math.isfinite(sum(box)):
        return None  # the common case, tested fast
    if not isinstance(box, list):
        return f'bbox is a {type(box).__name__}, not a list [x, y, w, h]'
    if len(box) != 4:
        return f'bbox has {len(box)} numbers, not 4 [x, y, w, h]'
    if not all(_is_number(v) for v in box):
        return 'bbox holds a value that is not a number'
    if not all(math.isfinite(v) for v in box):
        return 'bbox holds NaN or infinity'
    return None


def _records(data: dict, key: str, required: bool,
             errors: List[str]) -> list:
    records = data.get(key)
    if records is None:
        if required:
            errors.append(f'the file has no "{key}" list')
        return []
    if not isinstance(records, list):
        errors.append(f'"{key}" is a {type(records).__name__}, not a list')
        return []
    return records


def _missing_keys(records: Iterable, keys: Sequence[str], noun: str,
                  errors: List[str]) -> list:
    """The records that are dicts with every key; an error line for the
    others (by their index in the list)."""
    complete, faults = [], _Findings()
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            faults.add('not a JSON object', f'#{index}')
            continue
        missing = [key for key in keys if key not in record]
        if missing:
            faults.add(f'no key {", ".join(map(repr, missing))}',
                       record.get('id', f'#{index}'))
        else:
            complete.append(record)
    errors.extend(faults.lines(f'{noun} record'))
    return complete


def _duplicates(records: list, noun: str, errors: List[str],
                consequence: str) -> None:
    counts = Counter(record['id'] for record in records)
    repeated = [record_id for record_id, n in counts.items() if n > 1]
    if repeated:
        errors.append(f'{_listed(repeated, f"{noun} id")} used more than '
                      f'once: {consequence}')


def class_name_problems(classes: Sequence[str],
                        categories: List[dict]) -> List[str]:
    """The config's ``classes`` against the file's category names: each
    must be there, and in the file's order (mmdet numbers the labels in
    the file's order whatever the config's)."""
    names = [category['name'] for category in categories]
    problems = []
    for name in classes:
        if name in names:
            continue
        close = difflib.get_close_matches(name, names, n=1)
        problems.append(
            f'class {name!r} of the config is no category of the file'
            + (f' (closest: {close[0]!r})' if close else '') +
            '; its objects would be dropped and the labels of the classes '
            f'after it shifted. The file\'s categories: {tuple(names)}')
    found = [name for name in classes if name in names]
    file_order = [name for name in names if name in found]
    if not problems and found != file_order:
        problems.append(
            f'the config lists its classes as {tuple(classes)}, the file '
            f'in the order {tuple(file_order)}: mmdet numbers labels in the '
            "file's order, so objects would train and be scored under "
            "other classes' names. List the classes in the file's order")
    return problems


def check_coco_annotations(ann_file: str,
                           classes: Optional[Sequence[str]] = None,
                           image_dir: Optional[str] = None,
                           require_annotations: bool = True
                           ) -> AnnotationReport:
    """Every problem of a COCO-format annotation file for mmdet's
    ``CocoDataset``.

    Args:
        ann_file: the json file.
        classes: the config's class names (its dataset's
            ``metainfo.classes``); None skips the class check.
        image_dir: where the images are (``data_root`` joined with
            ``data_prefix.img``); None skips the check that every image
            file exists.
        require_annotations: whether the file must hold an
            ``annotations`` list (a test-dev image-info file has none).
    """
    errors: List[str] = []
    try:
        with open(ann_file, encoding='utf-8') as f:
            data = json.load(f)
    except json.JSONDecodeError as error:
        return AnnotationReport(
            ann_file, [f'not valid JSON at line {error.lineno}, column '
                       f'{error.colno} (character {error.pos} of the file): '
                       f'{error.msg}; is the file cut short?'], [], 0, 0)
    except (OSError, UnicodeDecodeError) as error:
        return AnnotationReport(ann_file, [f'cannot be read: {error}'], [],
                                0, 0)
    if not isinstance(data, dict):
        return AnnotationReport(
            ann_file, [f'holds a JSON {type(data).__name__}, not an object '
                       'with "images", "annotations" and "categories"'],
            [], 0, 0)
    raw_images = _records(data, 'images', True, errors)
    raw_annotations = _records(data, 'annotations', require_annotations,
                               errors)
    raw_categories = _records(data, 'categories', True, errors)
    categories = _missing_keys(raw_categories, CATEGORY_KEYS, 'category',
                               errors)
    images = _missing_keys(raw_images, IMAGE_KEYS, 'image', errors)
    annotations = _missing_keys(raw_annotations, ANNOTATION_KEYS,
                                'annotation', errors)
    _duplicates(categories, 'category', errors,
                'pycocotools keeps the last category of an id')
    _duplicates(images, 'image', errors,
                "pycocotools keeps the last image of an id, so one image's "
                "file would train with another's boxes")
    _duplicates(annotations, 'annotation', errors,
                'pycocotools keeps the last annotation of an id, the others '
                'are lost')
    names = Counter(category['name'] for category in categories)
    repeated = [name for name, n in names.items() if n > 1]
    if repeated:
        errors.append(f'category names used by more than one category: '
                      f'{repeated}; mmdet would merge them into one class')
    if classes is not None and categories:
        errors.extend(class_name_problems(classes, categories))

    bad_sizes = [image['id'] for image in images
                 if not (_is_number(image['width']) and
                         _is_number(image['height']) and
                         image['width'] > 0 and image['height'] > 0)]
    if bad_sizes:
        errors.append(f'{_listed(bad_sizes, "image")} whose width or height '
                      'is not a positive number')
    unsized = set(bad_sizes)
    image_sizes = {image['id']: (image['width'], image['height'])
                   for image in images if image['id'] not in unsized}
    category_ids = {category['id'] for category in categories}
    trained_ids = {category['id'] for category in categories
                   if classes is None or category['name'] in classes}
    faults, drops = _Findings(), _Findings()
    for ann in annotations:
        ann_id = ann['id']
        problem = _box_problem(ann['bbox'])
        if problem:
            faults.add(problem, ann_id)
        if not _is_number(ann['area']):
            problem = 'area is not a number'
            faults.add(problem, ann_id)
        if ann['image_id'] not in image_sizes and \
                ann['image_id'] not in unsized:
            faults.add('image_id names no image of the file', ann_id)
        if ann['category_id'] not in category_ids:
            faults.add('category_id names no category of the file', ann_id)
        if problem or ann['image_id'] not in image_sizes or \
                ann['category_id'] not in category_ids:
            continue
        if ann['category_id'] not in trained_ids:
            drops.add('of a category outside the config\'s classes '
                      '(not trained or scored)', ann_id)
            continue
        if ann.get('ignore', False) or ann.get('iscrowd', 0):
            drops.add('crowd or ignore region (not trained as an object)',
                      ann_id)
            continue
        x, y, w, h = ann['bbox']
        width, height = image_sizes[ann['image_id']]
        if min(x + w, width) <= max(x, 0) or min(y + h, height) <= max(y, 0):
            drops.add('box outside its image (mmdet drops it)', ann_id)
        elif w < 1 or h < 1 or ann['area'] <= 0:
            drops.add('box under 1 pixel wide or high, or area <= 0 '
                      '(mmdet drops it)', ann_id)
    errors.extend(faults.lines('annotation'))
    if image_dir is not None:
        missing = _missing_image_files(images, image_dir)
        if missing:
            errors.append(f'{_listed(missing, "image")} whose file is not in '
                          f'{image_dir}')
    return AnnotationReport(ann_file, errors, drops.lines('annotation'),
                            len(raw_images), len(raw_annotations))


def _missing_image_files(images: List[dict], image_dir: str) -> list:
    """Ids of the images whose file does not exist (one directory listing
    for files directly under ``image_dir``)."""
    try:
        listed = set(os.listdir(image_dir))
    except OSError:
        listed = set()
    return [image['id'] for image in images
            if str(image['file_name']) not in listed and
            not osp.isfile(osp.join(image_dir, str(image['file_name'])))]


def annotation_file_error(reports: List[AnnotationReport]
                          ) -> Optional[AnnotationFileError]:
    """One error listing the errors of every report, or None."""
    failed = [report for report in reports if report.errors]
    if not failed:
        return None
    blocks = [f'{report.ann_file}:\n  - ' + '\n  - '.join(report.errors)
              for report in failed]
    return AnnotationFileError(
        'annotation file(s) that mmdet would read wrongly or not at all:\n'
        + '\n'.join(blocks) + '\nFix the file(s); '
        'python tools/analysis_tools/check_annotations.py checks them alone.')
