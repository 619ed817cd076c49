# Your own COCO-format dataset, set once here: the configs of this folder
# read every data setting from this file. Copy the folder (e.g. to
# configs/my_data/), then edit the lines down to batch_size; the rest follows
# from them (dataloaders, evaluators, Resize scale and the heads'
# num_classes). Expected layout under data_root:
#   annotations/instances_train.json, annotations/instances_val.json
#   (COCO json: images, annotations with bbox [x, y, w, h] and
#   category_id, categories named as in `classes`), train/ and val/ images.
data_root = 'data/my_dataset/'
# category names of the annotation file, in the file's order (mmdet numbers
# labels in that order; the tools refuse another order or a name the file
# lacks); a subset trains only those classes. len() = num_classes
classes = ('cat', 'dog')
train_ann_file = 'annotations/instances_train.json'
train_image_dir = 'train/'
val_ann_file = 'annotations/instances_val.json'
val_image_dir = 'val/'
image_size = 256  # images are resized to fit image_size x image_size
batch_size = 16

dataset_type = 'CocoDataset'
metainfo = dict(classes=classes)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(image_size, image_size), keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True),
    dict(
        type='PackDetInputs',
        meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape',
                   'scale_factor'))
]
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file=train_ann_file,
        data_prefix=dict(img=train_image_dir),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=batch_size,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        metainfo=metainfo,
        ann_file=val_ann_file,
        data_prefix=dict(img=val_image_dir),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(
    type='CocoMetric', ann_file=data_root + val_ann_file, metric='bbox')
test_evaluator = val_evaluator
