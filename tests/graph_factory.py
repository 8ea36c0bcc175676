"""Hand-built extractions with known answers, for store and query tests."""

from __future__ import annotations

from kg.model import (
    RESULT_KINDS,
    Evidence,
    Mention,
    Paper,
    PaperExtraction,
    Relation,
    Result,
    ResultKind,
    paper_id,
)
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


def make_results(
    title: str, abstract: str, stated: list[tuple[str, str, str, str, str]], code: str = ""
) -> PaperExtraction:
    """A paper stating ``(method, dataset, metric, value, kind)`` results, each value found
    in ``abstract`` (its sentence is the whole abstract), resolved as the extractor would."""
    resolver = Resolver.default()
    results = []
    for method, dataset, metric, value, kind in stated:
        start = abstract.index(value)
        parts = zip(RESULT_KINDS, (method, dataset, metric), strict=True)
        results.append(
            Result(
                value,
                ResultKind(kind),
                float(value.rstrip("%")),
                "%" if value.endswith("%") else "",
                method,
                dataset,
                metric,
                Evidence(start, start + len(value), 0, len(abstract), "test.result.v1"),
                *(resolver.result_entity(k, name) for k, name in parts),
            )
        )
    ex = make_extraction(title, [(R.RELEASES_CODE, code)] if code else [], abstract)
    ex.results = results
    return ex


RESULTS_GRAPH = [
    make_results(
        "Epsilon",
        "EpsNet reaches 2.1 FID on ImageNet 256x256, and improves FID by 0.5 on ImageNet. "
        "Code: https://github.com/e/eps",
        [
            ("EpsNet", "ImageNet 256x256", "FID", "2.1", "score"),
            ("EpsNet", "ImageNet", "FID", "0.5", "improvement"),
        ],
        code="https://github.com/e/eps",
    ),
    make_results(
        "Zeta",
        "ZetaGAN gets an FID of 3.4 on ImageNet and 81.5% top-1 accuracy on ImageNet-R.",
        [
            ("ZetaGAN", "ImageNet", "FID", "3.4", "score"),
            ("ZetaGAN", "ImageNet-R", "top-1 accuracy", "81.5%", "score"),
        ],
    ),
    make_results(
        "Eta",
        "EtaViT achieves 84.0% Top-1 Acc. on ILSVRC-2012.",
        [("EtaViT", "ILSVRC-2012", "Top-1 Acc.", "84.0%", "score")],
    ),
]
