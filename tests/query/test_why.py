"""``kg why`` names the results behind a paper–entity link, with their sentences."""

import pytest

from kg.errors import UsageError
from kg.query.why import explain
from kg.rdf.store import MemoryStore
from tests.graph_factory import RESULTS_GRAPH


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    s = MemoryStore.open()
    s.upsert(RESULTS_GRAPH)
    return s


def test_why_lists_each_result_that_names_the_entity_with_its_sentence(store) -> None:
    lines = list(explain(store, "Epsilon", "FID"))
    assert [line.split(" (")[0] for line in lines] == ["RESULT 2.1", "RESULT 0.5"]
    assert "score; method 'EpsNet', dataset 'ImageNet 256x256', metric 'FID'" in lines[0]
    assert "improvement;" in lines[1]
    assert lines[0].endswith("\n  EpsNet reaches 2.1 FID on ImageNet 256x256, and improves "
                             "FID by 0.5 on ImageNet. Code: https://github.com/e/eps")
    # the dataset as the paper writes it and its canonical name both find the result
    assert len(list(explain(store, "Eta", "ILSVRC-2012"))) == 1
    assert len(list(explain(store, "Eta", "ImageNet"))) == 1


def test_why_names_what_a_paper_links_when_it_does_not_link_the_entity(store) -> None:
    with pytest.raises(UsageError, match="has no edge to 'COCO'; it links: .*EtaViT"):
        list(explain(store, "Eta", "COCO"))
