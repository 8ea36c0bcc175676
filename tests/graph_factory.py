"""Hand-built extractions with known answers, for store and query tests."""

from __future__ import annotations

from kg.model import Evidence, Mention, Paper, PaperExtraction, Relation, paper_id
from kg.resolve import Resolver


def make_extraction(
    title: str, edges: list[tuple[Relation, str]], abstract: str | None = None
) -> PaperExtraction:
    """A paper whose abstract names each entity once, so evidence spans are real."""
    resolver = Resolver.default()
    abstract = abstract or " ".join(f"It mentions {name}." for _, name in edges) or "Nothing."
    mentions = []
    cursor = 0
    for relation, name in edges:
        start = abstract.find(name, cursor)
        if start < 0:
            start = 0
        end = start + len(name)
        mentions.append(
            Mention(
                relation,
                resolver.resolve(relation.kind, name),
                name,
                Evidence(start, end, 0, len(abstract), "test.v1"),
            )
        )
        cursor = end
    paper = Paper(id=paper_id(title=title), title=title, abstract=abstract, source="test")
    return PaperExtraction(
        paper, mentions, releases_code=any(r is Relation.RELEASES_CODE for r, _ in edges)
    )


R = Relation
SMALL_GRAPH = [
    make_extraction(
        "Alpha",
        [
            (R.PROPOSES, "AlphaNet"),
            (R.EVALUATED_ON, "ImageNet"),
            (R.EVALUATED_ON, "MS COCO"),
            (R.USES, "ResNet-50"),
            (R.RELEASES_CODE, "https://github.com/a/alpha"),
            (R.ADDRESSES, "image classification"),
        ],
    ),
    make_extraction(
        "Beta",
        [(R.USES, "ResNet-50"), (R.EVALUATED_ON, "ILSVRC-2012"), (R.USES_DATASET, "LAION-5B")],
    ),
    make_extraction(
        "Gamma",
        [
            (R.PROPOSES, "GammaGPT"),
            (R.USES, "ResNet-50"),
            (R.EVALUATED_ON, "COCO"),
            (R.RELEASES_CODE, "https://gitlab.com/g/gamma"),
            (R.RELEASES_CODE, "https://github.com/g/gamma2"),
            (R.REPORTS_METRIC, "FID"),
        ],
    ),
    make_extraction(
        "Delta",
        [(R.INTRODUCES, "DeltaBench"), (R.USES, "AlphaNet"), (R.ADDRESSES, "image classification")],
    ),
]
