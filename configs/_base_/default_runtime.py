# mmdet's runtime plus mmdet's NumClassCheckHook: training and validation
# refuse to start when a head's num_classes differs from the number of
# classes in the dataset's metainfo (a gt label equal to num_classes would
# otherwise train as background).
_base_ = 'mmdet::_base_/default_runtime.py'

default_hooks = dict(num_class_check=dict(type='NumClassCheckHook'))
