"""The rules fingerprint that incremental builds keep in each paper's content hash."""

from dataclasses import replace
from importlib.resources import files

from kg.extract import pipeline
from kg.extract.components import READING, reading
from kg.extract.pipeline import ExtractConfig, Extractor, rules_fingerprint
from kg.model import EntityKind, Paper, extraction_hash
from kg.resolve import Resolver


def test_the_digest_reads_every_rule_file_and_no_cache() -> None:
    names = {entry.name for entry in pipeline._files_under(files("kg.extract"))}
    assert {"cues.py", "roles.py", "lexicon.py", "gazetteer.tsv"} <= names
    assert not any(name.endswith(".pyc") for name in names)
    resolve = {entry.name for entry in pipeline._files_under(files("kg.resolve"))}
    assert "aliases.toml" in resolve


def test_fingerprint_follows_components_and_aliases_not_batch_size() -> None:
    default = Resolver.default()
    base = rules_fingerprint(ExtractConfig(), default)
    assert rules_fingerprint(ExtractConfig(batch_size=7), default) == base
    assert rules_fingerprint(ExtractConfig(components=("kg_sentences",)), default) != base
    aliased = Resolver({**default.aliases, EntityKind.TASK: {"qa": "Question Answering"}})
    assert rules_fingerprint(ExtractConfig(), aliased) != base


def test_extractions_carry_the_hash_of_paper_and_rules(seed_papers: list[Paper]) -> None:
    extractor = Extractor()
    paper = seed_papers[0]
    ex = extractor.extract_one(paper)
    assert ex.content_hash == extraction_hash(paper, extractor.fingerprint)
    assert ex.content_hash != extraction_hash(paper, "other rules")
    edited = replace(paper, abstract=paper.abstract + " More.")
    assert extractor.extract_one(edited).content_hash != ex.content_hash


def test_components_share_one_reading_whether_or_not_the_doc_has_tokens(
    extractor: Extractor,
) -> None:
    """The extractor's docs carry no tokens; a tokenised doc (another caller's) reads alike,
    its Reading made from the doc's text."""
    paper = Paper(
        id="x",
        title="A study",
        abstract="We evaluate ResNet-50 on ImageNet. Code: https://github.com/a/b.",
    )
    [ex] = extractor.extract([paper])
    doc = extractor.nlp(paper.abstract)
    state = reading(doc)
    assert len(doc) > 0 and state.text == paper.abstract and state.sentences
    assert [m.surface for m in state.mentions] == [m.surface for m in ex.mentions]
    assert {"ImageNet", "https://github.com/a/b"} <= {m.surface for m in ex.mentions}
    assert state.releases_code and ex.releases_code
    assert list(doc.user_data) == [READING]  # one key, not one per component
