"""RankingBatch's positive rows."""
import torch

from alrp_mmdet.models.ranking_heads import positive_rows


def test_positive_rows_are_the_rows_of_a_class():
    labels = torch.tensor([3, 0, 2, 3, 1, -1])
    assert positive_rows(labels, 3).tolist() == [1, 2, 4]
