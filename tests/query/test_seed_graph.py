"""Answers on the real seed graph, checked by hand against the abstracts."""

from kg.query import run_named


def test_papers_evaluated_on_imagenet_that_release_code(seed_store) -> None:
    # Read by hand: these three report results on ImageNet and link their code.
    # (VAR-CLIP trains on ImageNet but evaluates elsewhere; LAE and MDCS use the
    # different datasets ImageNet-R and ImageNet-LT.)
    table = run_named(seed_store, "evaluated-on", {"dataset": "ImageNet", "with_code": True})
    assert {(r["title"], r["code"]) for r in table.records()} == {
        ("Equivariant Contrastive Learning", "https://github.com/rdangovs/essl"),
        ("Towards Practical Plug-and-Play Diffusion Models", "https://github.com/riiid/PPAP"),
        (
            "FlowAR: Scale-wise Autoregressive Image Generation Meets Flow Matching",
            "https://github.com/OliverRensu/FlowAR",
        ),
    }


def test_variant_spellings_ask_the_same_question(seed_store) -> None:
    answers = {
        name: run_named(seed_store, "evaluated-on", {"dataset": name}).rows
        for name in ("ImageNet", "imagenet-1k", "ILSVRC-2012", "ImageNet 1K")
    }
    assert len({tuple(rows) for rows in answers.values()}) == 1
    assert len(answers["ImageNet"]) >= 5


def test_the_seed_imagenet_leaderboard_lists_e_ssl_with_its_sentence(seed_store) -> None:
    rows = run_named(seed_store, "leaderboard", {"dataset": "ImageNet"}).records()
    e_ssl = [r for r in rows if r["method"] == "E-SSL"]
    assert [(r["value"], r["kind"], r["benchmark"]) for r in e_ssl] == [
        ("72.5%", "score", "ImageNet")
    ]
    assert "72.5% linear probe accuracy on ImageNet" in e_ssl[0]["evidence"]
    assert e_ssl[0]["code"] == "https://github.com/rdangovs/essl"


def test_papers_evaluated_on_imagenet_with_its_variants_add_imagenet_r_and_lt(seed_store) -> None:
    """LAE (ImageNet-R) and MDCS (ImageNet-LT), read by hand in the first test's comment,
    join the ImageNet answer with its variants."""

    def titles(dataset: str, variants: bool, with_code: bool = False) -> set[str]:
        args = {"dataset": dataset, "include_variants": variants, "with_code": with_code,
                "limit": 0}
        return {r["title"] for r in run_named(seed_store, "evaluated-on", args).records()}

    plain, wider = titles("ImageNet", False), titles("ImageNet", True)
    assert plain < wider
    for variant in ("ImageNet-R", "ImageNet-LT"):
        assert titles(variant, False) and titles(variant, False) <= wider
    assert {t for t in wider - plain if t.startswith(("A Unified Continual", "MDCS"))} == {
        "A Unified Continual Learning Framework with General Parameter-Efficient Tuning",
        "MDCS: More Diverse Experts with Consistency Self-distillation for Long-tailed "
        "Recognition",
    }
    assert titles("imagenet-1k", True) == wider  # an alias asks the same question
    assert len(titles("ImageNet", True, with_code=True)) == 5  # LAE and MDCS link code


def test_top_datasets_with_variants_count_each_paper_once_under_its_family(
    seed_store, seed_extractions
) -> None:
    """ImageNet's count with variants is the papers naming ImageNet or one of its variants
    as a dataset, counted here from the extractions, not from a query."""
    from kg.model import RELATION_KIND, EntityKind
    from kg.resolve.variants import family

    def counts(variants: bool) -> dict[str, int]:
        args = {"include_variants": variants, "limit": 0}
        return {r["dataset"]: r["papers"] for r in run_named(seed_store, "top-datasets", args)
                .records()}

    plain, grouped = counts(False), counts(True)
    on_imagenet = {
        ex.paper.id
        for ex in seed_extractions
        for m in ex.mentions
        if RELATION_KIND[m.relation] is EntityKind.DATASET
        and "imagenet" in (m.entity.key, getattr(family(m.entity), "key", None))
    }
    assert grouped["ImageNet"] == len(on_imagenet) > plain["ImageNet"]
    assert "ImageNet-R" in plain and "ImageNet-R" not in grouped
    assert grouped["CIFAR-100"] == plain["CIFAR-100"]  # no variants: the same count
