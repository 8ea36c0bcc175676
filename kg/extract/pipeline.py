"""The extraction pipeline: spaCy ``blank("en")`` + kg's own rule components.

``Extractor.extract`` streams papers through ``nlp.pipe`` in batches and yields one
PaperExtraction per paper; nothing is kept between batches, so memory stays flat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from importlib.metadata import version
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract import components
from kg.model import (
    RESULT_KINDS,
    Mention,
    Paper,
    PaperExtraction,
    Result,
    extraction_hash,
    short_hash,
)
from kg.resolve import Resolver

COMPONENTS = ("kg_sentences", "kg_urls", "kg_abbreviations", "kg_entities", "kg_results")


@dataclass(frozen=True)
class ExtractConfig:
    batch_size: int = 256
    components: tuple[str, ...] = COMPONENTS
    #: kinds and roles from the shipped entity model; False: from the hand rules alone
    learned: bool = True


def build_nlp(config: ExtractConfig | None = None) -> Language:
    config = config or ExtractConfig()
    nlp = spacy.blank("en")
    for name in config.components:
        learned = name == "kg_entities" and not config.learned
        nlp.add_pipe(name, config={"learned": False} if learned else {})
    # Matchers tokenise their patterns through nlp.tokenizer, which fills its cache and
    # slows every later document 4-5x; re-setting the rules flushes the cache.
    nlp.tokenizer.rules = nlp.tokenizer.rules  # type: ignore[union-attr]
    return nlp


#: The packages whose code and data decide what extraction finds.
RULE_PACKAGES = ("kg.extract", "kg.resolve")


def _files_under(root: Traversable) -> Iterator[Traversable]:
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _files_under(entry)
        elif not entry.name.endswith((".pyc", ".pyo")):
            yield entry


@lru_cache(maxsize=1)
def _rules_digest() -> str:
    """Every file of the rule packages as installed, and spaCy's version (its tokenizer
    cuts the docs): any edit to a rule, a cue list or the gazetteer changes it."""
    digest = hashlib.sha1(version("spacy").encode())
    for package in RULE_PACKAGES:
        for entry in _files_under(files(package)):
            digest.update(f"\x1f{package}/{entry.name}\x1f".encode())
            digest.update(entry.read_bytes())
    return digest.hexdigest()


def rules_fingerprint(config: ExtractConfig, resolver: Resolver) -> str:
    """Changes when extraction could read a paper differently: the rules as installed,
    the components run, the alias tables. Builds keep it in each paper's content hash
    (``kg.model.extraction_hash``), so a kg with new rules re-extracts what they touch."""
    aliases = sorted(
        (kind.value, variant, canonical)
        for kind, table in resolver.aliases.items()
        for variant, canonical in table.items()
    )
    return short_hash(f"{_rules_digest()}\x1f{config.components}\x1f{config.learned}\x1f{aliases}")


class Extractor:
    """Build once, then call ``extract`` on any number of papers."""

    def __init__(
        self, config: ExtractConfig | None = None, resolver: Resolver | None = None
    ) -> None:
        self.config = config or ExtractConfig()
        self.resolver = resolver or Resolver.default()

    @cached_property
    def nlp(self) -> Language:
        """Built on first use: a build whose pool workers extract never needs the parent's."""
        nlp = build_nlp(self.config)
        if "kg_entities" in nlp.pipe_names:
            entities: Any = nlp.get_pipe("kg_entities")
            entities.gazetteer = entities.gazetteer.with_aliases(self.resolver.aliases)
        return nlp

    @cached_property
    def fingerprint(self) -> str:
        """``rules_fingerprint`` of this extractor's config and resolver."""
        return rules_fingerprint(self.config, self.resolver)

    def extract(self, papers: Iterable[Paper]) -> Iterator[PaperExtraction]:
        for doc, paper in self.nlp.pipe(
            self.docs(papers), as_tuples=True, batch_size=self.config.batch_size
        ):
            yield self._to_extraction(doc, paper)

    def docs(self, papers: Iterable[Paper]) -> Iterator[tuple[Doc, Paper]]:
        """Docs carrying the paper's ``Reading`` (its title too: the paper's own method is
        often named there). kg's components read text, not tokens, so the tokenizer is
        not run: that was a third of the extraction time (1,750-1,850 → 2,550-2,620
        abstracts/s on the seeds). A component that wants tokens makes them with
        ``nlp.make_doc(reading(doc).text)``."""
        vocab = self.nlp.vocab
        for paper in papers:
            doc = Doc(vocab)
            doc.user_data[components.READING] = components.Reading(paper.abstract, paper.title)
            yield doc, paper

    def extract_one(self, paper: Paper) -> PaperExtraction:
        return next(self.extract([paper]))

    def _to_extraction(self, doc: Doc, paper: Paper) -> PaperExtraction:
        state = components.reading(doc)
        mentions = [self.resolver_mention(m) for m in state.mentions]
        return PaperExtraction(
            paper=paper,
            mentions=mentions,
            releases_code=state.releases_code,
            content_hash=extraction_hash(paper, self.fingerprint),
            # an identical result read twice (two cues on one span) is one result
            results=list(dict.fromkeys(self.resolved_result(r) for r in state.results)),
        )

    def resolved_result(self, result: Result) -> Result:
        """The result with its parts resolved to the entities stores link it to."""
        parts = zip(RESULT_KINDS, (result.method, result.dataset, result.metric), strict=True)
        method, dataset, metric = (
            self.resolver.result_entity(kind, name) if name else None for kind, name in parts
        )
        return replace(result, method_entity=method, dataset_entity=dataset, metric_entity=metric)

    def resolver_mention(self, raw: components.RawMention) -> Mention:
        return raw.to_mention(self.resolver)
