# COCO test-dev 2017 (no annotations) for the evaluation server, at the 500
# scale. Any config can be tested on it with
#   python tools/test.py CONFIG CHECKPOINT --test-dev NAME
# which takes ann_file, data_prefix and the evaluator from here (keeping the
# config's data_root and test scale, without LoadAnnotations) and writes
# WORK_DIR/detections_test-dev2017_NAME_results.json and its .zip.
_base_ = './coco500_detection_augm.py'

test_pipeline = [
    dict(type='LoadImageFromFile', backend_args={{_base_.backend_args}}),
    dict(type='Resize', scale=(833, 500), keep_ratio=True),
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor'))
]
test_dataloader = dict(
    dataset=dict(
        ann_file='annotations/image_info_test-dev2017.json',
        data_prefix=dict(img='test2017/'),
        test_mode=True,
        pipeline=test_pipeline))
test_evaluator = dict(
    type='CocoMetric',
    metric='bbox',
    format_only=True,
    ann_file=_base_.data_root + 'annotations/image_info_test-dev2017.json',
    outfile_prefix='./work_dirs/coco_testdev/detections_test-dev2017_'
    'alrp_results')
