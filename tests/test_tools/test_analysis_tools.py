"""The benchmark grid and the CUDA check, run at toy sizes on CPU."""
import importlib.util
import os.path as osp
import re

import pytest
import torch
from mmdet.structures.bbox import bbox_overlaps

from ..conftest import REPO, run_tool

TOOLS = osp.join(REPO, 'tools', 'analysis_tools')


def table_rows(text, first_cell):
    """The markdown rows of ``text`` whose first cell is ``first_cell``."""
    return [[cell.strip() for cell in line.strip('|').split('|')]
            for line in text.splitlines()
            if line.startswith(f'| {first_cell} |')]


def test_benchmark_grid_times_every_loss_and_skips_what_cannot_be_laid_out(
        tmp_path):
    output = run_tool([
        osp.join(TOOLS, 'benchmark_loss.py'), '--sizes', '2e4', '--num-pos',
        '100', '300', '--repeats', '1', '--loop-positives', '2'
    ], tmp_path)
    rows = table_rows(output, '20,000')
    assert len(rows) == 2
    done, skipped = rows
    # 20,000 logits / 80 classes = 250 anchors: 300 positives do not fit
    assert skipped[1] == '300' and 'P > M / 80 anchors' in skipped[2]
    assert done[1] == '100' and int(done[2].replace(',', '')) > 15000
    alrp_focal, rs_focal, rs_alrp = (float(cell.rstrip('x'))
                                     for cell in done[6:9])
    # the three ratios come from one set of timings: RS / aLRP is
    # (RS / focal) / (aLRP / focal), up to the table's two decimals
    assert rs_alrp == pytest.approx(rs_focal / alrp_focal, abs=0.02,
                                    rel=0.02)
    loops = [float(cell) for cell in done[9:11]]
    assert all(value > 0 for value in loops)
    # a peak-memory figure (whole MB) for each of the three losses
    assert all(re.fullmatch(r'\d+', cell) for cell in done[11:14])


def test_cuda_check_runs_on_cpu_at_toy_sizes(tmp_path):
    report = tmp_path / 'report.md'
    output = run_tool([
        osp.join(TOOLS, 'cuda_check.py'), '--device', 'cpu', '--small',
        '--out', str(report)
    ], tmp_path, timeout=900)
    text = report.read_text()
    # the report is printed as it is written
    assert all(line in output for line in text.splitlines())
    assert 'Set-up: mmcv, mmengine and mmdet already importable.' in text
    grid = table_rows(text, '20,000') + table_rows(text, '100,000')
    assert len(grid) == 4 and sum('n/a' in row[2] for row in grid) == 1
    comparisons = {row[0]: row for row in (table_rows(text, 'aLRP') +
                                           table_rows(text, 'AP') +
                                           table_rows(text, 'RS'))}
    assert sorted(comparisons) == ['AP', 'RS', 'aLRP']
    for row in comparisons.values():
        # CPU against CPU: the same computation, no difference
        assert float(row[3]) > 0 and float(row[4]) == 0 and float(
            row[5]) == 0
    trained = [row for name in ('focal ATSS', 'aLRP ATSS', 'RS ATSS')
               for row in table_rows(text, name)]
    assert [(row[0], row[1]) for row in trained] == [
        (name, precision) for name in ('focal ATSS', 'aLRP ATSS', 'RS ATSS')
        for precision in ('float32', 'bfloat16')
    ]
    for row in trained:
        assert row[4] == 'yes', row
        assert float(row[2]) > 0 and float(row[5]) > 0
    alrp_losses = dict(re.findall(r'(\w+) ([-\d.e+]+)', trained[2][3]))
    assert {'loss_cls', 'loss_bbox'} <= set(alrp_losses)
    step_rows = [[cell.strip() for cell in line.strip('|').split('|')]
                 for line in text.splitlines()
                 if line.startswith('| `configs/demo/')]
    assert [row[0].strip('`') for row in step_rows] == [
        'configs/demo/atss_focal_tiny_synthetic.py',
        'configs/demo/alrp_atss_tiny_synthetic.py',
        'configs/demo/rs_atss_tiny_synthetic.py']
    assert step_rows[0][2] == '1.00x' and all(
        float(row[1]) > 0 for row in step_rows)
    assert re.search(r'Total: \d+ s\.', text)


def benchmark_train_tool():
    spec = importlib.util.spec_from_file_location(
        'benchmark_train', osp.join(TOOLS, 'benchmark_train.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_benchmark_train_times_the_configs_on_one_batch(tmp_path):
    configs = [osp.join(REPO, 'configs', 'demo', name) for name in (
        'atss_focal_tiny_synthetic.py', 'alrp_atss_tiny_synthetic.py')]
    output = run_tool([osp.join(TOOLS, 'benchmark_train.py'), *configs,
                       '--image-size', '64', '64', '--steps', '2',
                       '--warmup', '1'], tmp_path)
    assert 'device cpu, 2 timed steps after 1 untimed' in output
    rows = [[cell.strip() for cell in line.strip('|').split('|')]
            for line in output.splitlines() if line.startswith('| `')]
    assert [row[0].strip('`') for row in rows] == configs
    (first_seconds, first_ratio), (second_seconds, second_ratio) = (
        (float(row[1]), float(row[2].rstrip('x'))) for row in rows)
    assert first_ratio == 1.0
    assert second_ratio == pytest.approx(second_seconds / first_seconds,
                                         abs=0.01)


def test_a_benchmarked_step_trains_the_model():
    tool = benchmark_train_tool()
    args = tool.parse_args([
        osp.join(REPO, 'configs', 'demo', 'alrp_atss_tiny_synthetic.py'),
        '--image-size', '64', '64'])
    tool.register_all_modules()
    cfg = tool.load_config(args.configs[0], None)
    step = tool.build_step(args.configs[0], cfg, 'cpu')
    batch = tool.generated_batch(args.batch, tool.num_classes_of(cfg),
                                 False)
    before = {name: param.detach().clone()
              for name, param in step.model.named_parameters()}
    tool.take_step(step, batch)
    changed = [name for name, param in step.model.named_parameters()
               if not torch.equal(param, before[name])]
    assert any('bbox_head' in name for name in changed)
    assert any('backbone' in name for name in changed)


def test_benchmark_train_family_runs_its_baseline_and_ranking_detectors(
        tmp_path):
    tool = benchmark_train_tool()
    output = run_tool([osp.join(TOOLS, 'benchmark_train.py'), '--family',
                       'FCOS', '--image-size', '64', '64', '--steps', '1',
                       '--warmup', '0'], tmp_path)
    assert 'FCOS (demo scale)' in output
    names = [line.split('|')[1].strip().strip('`')
             for line in output.splitlines() if line.startswith('| `')]
    assert names == list(tool.FAMILIES['FCOS']['demo'])
    assert names[0] == 'configs/demo/fcos_focal_tiny_synthetic.py'


def test_benchmarked_two_stage_detectors_get_the_same_proposals():
    # untrained RPNs of one family propose boxes of different sizes
    # (median side 129, 64 and 32 px for Faster R-CNN with CE, aLRP and RS
    # on the COCO-scale batch), and RoIAlign's work grows with a RoI's size
    tool = benchmark_train_tool()
    tool.register_all_modules()
    tool.init_default_scope('mmdet')
    batch = tool.generated_batch(tool.SCALES['demo'], 3, with_mask=False)
    received = []
    for path in tool.FAMILIES['Faster R-CNN']['demo'][::2]:
        cfg = tool.load_config(path, None)
        step = tool.build_step(path, cfg, 'cpu')
        tool.use_generated_proposals(step.model, cfg)
        roi_loss = step.model.roi_head.loss

        def record(x, rpn_results_list, data_samples, roi_loss=roi_loss):
            received.append([results.clone() for results in rpn_results_list])
            return roi_loss(x, rpn_results_list, data_samples)

        step.model.roi_head.loss = record
        data = step.model.data_preprocessor(batch, True)
        losses = step.model(**data, mode='loss')
        assert any(key.startswith('loss_rpn') for key in losses)
    baseline, ranking = received
    gt_boxes = [sample.gt_instances.bboxes for sample in data['data_samples']]
    for image, (first, second) in enumerate(zip(baseline, ranking)):
        assert len(first) == cfg.model.train_cfg.rpn_proposal.max_per_img
        assert torch.equal(first.bboxes, second.bboxes)
        boxes = first.bboxes
        assert (boxes[:, 2:] > boxes[:, :2]).all()
        assert boxes.min() >= 0 and (boxes[:, 2:] <= 96).all()
        best_iou = bbox_overlaps(boxes, gt_boxes[image]).max(dim=1).values
        assert 0 < (best_iou >= 0.5).sum() < len(boxes)


def test_every_benchmark_train_family_config_loads():
    tool = benchmark_train_tool()
    tool.register_all_modules()
    for family, scales in tool.FAMILIES.items():
        assert scales['coco'], family
        for path in (*scales['demo'], *scales['coco']):
            cfg = tool.load_config(path, None)
            assert tool.num_classes_of(cfg) == (
                80 if path in scales['coco'] else 3), path


def test_the_coco_scale_batch_passes_the_rtmdet_neck():
    # RTMDet's preprocessor pads nothing and its PAFPN concatenates
    # upsampled and lateral maps: an 800 x 1333 batch failed there (168 vs
    # 167 columns), so the preset holds the padded size the R-50 detectors
    # run at
    tool = benchmark_train_tool()
    tool.register_all_modules()
    tool.init_default_scope('mmdet')
    path = tool.FAMILIES['RTMDet']['coco'][0]
    step = tool.build_step(path, tool.load_config(path, None), 'cpu')
    scale = tool.SCALES['coco']._replace(num_images=1)
    data = step.model.data_preprocessor(
        tool.generated_batch(scale, 80, with_mask=False), True)
    assert data['inputs'].shape[-2:] == (800, 1344)
    with torch.no_grad():
        features = step.model.extract_feat(data['inputs'])
    assert [tuple(f.shape[-2:]) for f in features] == [
        (100, 168), (50, 84), (25, 42)]


@pytest.mark.parametrize('argv', [
    [], ['configs/demo/alrp_atss_tiny_synthetic.py', '--family', 'ATSS'],
    ['--family', 'ATSS', '--steps', '0']])
def test_benchmark_train_refuses_an_unclear_request(argv):
    with pytest.raises(SystemExit):
        benchmark_train_tool().parse_args(argv)
