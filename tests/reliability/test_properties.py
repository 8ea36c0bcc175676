"""Property-based tests: URL finding, IRI minting, name/URL keys and the resolver never crash
and keep their promises on any text, hostile or random."""

from __future__ import annotations

import string
import warnings
from urllib.parse import unquote, urlsplit

import pytest
import rdflib
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from kg.extract.urls import CODE_HOSTS, TRAILING, canonical_url, find_urls
from kg.model import EntityKind
from kg.rdf.vocab import (
    DEFAULT_BASE_IRI,
    entity_iri,
    extractor_iri,
    graph_iri,
    paper_iri,
)
from kg.resolve import Resolver
from kg.resolve.normalize import name_key, url_key

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HOSTILE = [
    '"', "'", "\\", "<script>alert(1)</script>", '"""', "\n", "\r\n", "\t", "\u202e", "\u200b",
    "\u200d", "\ufeff", "😀", "👩‍👩‍👧", 'x"}) DETACH DELETE n //', "%", "%00", "%2F", "#", "?",
    "{", "}", "|", "^", "`", " ", "\x00", "\x7f", "\u2028", ".", "..", "/", ":", "@", "[", "]",
]
URL_BITS = [
    "https://", "http://", "HTTPS://", "www.", "github.com", "gitlab.com", "bitbucket.org",
    "huggingface.co", "anonymous.4open.science", "x.github.io", "example.org", "/", "owner",
    "repo", ".git", "/tree/main/src", "/-/", "r/", "?q=1", "#readme", ")", "(", "]", "[", ".",
    ",", ";", ":", "!", "*", "'", " ", "(see ", "orgs", "%20", "日本", "a.b", "8080",
]
hostile_text = st.one_of(
    st.text(),
    st.lists(st.sampled_from(HOSTILE) | st.text(max_size=5), max_size=12).map("".join),
)
url_text = st.one_of(
    st.lists(st.sampled_from(URL_BITS + HOSTILE), max_size=16).map("".join),
    st.text(alphabet=string.printable, max_size=60),
    st.text(max_size=40),
)


def _valid_iri(iri: str) -> None:
    """pyoxigraph's strict IRI parser accepts it, and rdflib sees a valid URI."""
    NamedNode(iri)
    assert rdflib.term._is_valid_uri(iri), iri
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rdflib.URIRef(iri)


# -- find_urls / canonical_url -----------------------------------------------------------


@FAST
@given(url_text)
@example("Code: https://github.com/a/b.")
@example("(see github.com/owner/repo/tree/main/x)")
@example('https://github.com/a/b"<script>alert(1)</script>')
def test_find_urls_never_crashes_and_canonicals_are_http_urls(text: str) -> None:
    for found in find_urls(text):
        assert text[found.start : found.end] == found.url
        assert found.url and found.url[-1] not in TRAILING
        canon = found.canonical
        parts = urlsplit(canon)
        assert parts.scheme in ("http", "https"), canon
        assert parts.hostname and "." in parts.hostname, canon
        assert canon[-1] not in TRAILING and not canon.endswith("/"), canon
        assert not any(ch.isspace() for ch in canon), canon
        if found.is_code:
            assert parts.scheme == "https"


@pytest.mark.parametrize("text", ["https://[a.b/c", "see https://]github.com now"])
def test_find_urls_survives_bracketed_hosts(text: str) -> None:
    for found in find_urls(text):
        assert found.canonical.startswith(("http://", "https://"))


@pytest.mark.parametrize(
    "url,canonical",
    [("http://example.org:/", "http://example.org"), ("http://example.org./", "http://example.org"),
     ("https://example.org/data./", "https://example.org/data")],
)
def test_canonical_url_leaves_no_trailing_punctuation(url: str, canonical: str) -> None:
    assert canonical_url(url)[0] == canonical


def test_find_urls_skips_urls_without_a_host() -> None:
    assert [f.canonical for f in find_urls("typo https:///tree/main/x.py here")] == []


@FAST
@given(url_text)
def test_canonical_url_is_stable_on_its_own_output(text: str) -> None:
    """Canonicalising a canonical URL gives it back: two papers linking one repo agree."""
    assume("[" not in text and "]" not in text)
    for found in find_urls(text):
        if urlsplit(found.canonical).hostname and found.canonical[-1] not in TRAILING:
            assert canonical_url(found.canonical) == (found.canonical, found.is_code)


# -- IRI minting --------------------------------------------------------------------------


@FAST
@given(hostile_text, st.sampled_from(list(EntityKind)))
def test_minted_iris_are_valid_and_reversible(value: str, kind: EntityKind) -> None:
    for iri in (
        paper_iri(DEFAULT_BASE_IRI, value),
        graph_iri(DEFAULT_BASE_IRI, value),
        entity_iri(DEFAULT_BASE_IRI, kind, value),
        extractor_iri(DEFAULT_BASE_IRI, value),
    ):
        _valid_iri(iri)
    segment = paper_iri(DEFAULT_BASE_IRI, value).removeprefix(DEFAULT_BASE_IRI + "paper/")
    assert unquote(segment) == value
    assert "/" not in segment and "#" not in segment and "?" not in segment


@FAST
@given(hostile_text, hostile_text, st.sampled_from(list(EntityKind)))
def test_distinct_ids_give_distinct_iris(a: str, b: str, kind: EntityKind) -> None:
    if a == b:
        return
    assert paper_iri(DEFAULT_BASE_IRI, a) != paper_iri(DEFAULT_BASE_IRI, b)
    assert graph_iri(DEFAULT_BASE_IRI, a) != graph_iri(DEFAULT_BASE_IRI, b)
    assert entity_iri(DEFAULT_BASE_IRI, kind, a) != entity_iri(DEFAULT_BASE_IRI, kind, b)
    # papers' graphs never collide with the shared entities graph
    assert graph_iri(DEFAULT_BASE_IRI, a) != DEFAULT_BASE_IRI + "graph/entities" or a == "entities"


@FAST
@given(hostile_text)
def test_entity_kinds_never_share_an_iri(value: str) -> None:
    iris = {entity_iri(DEFAULT_BASE_IRI, kind, value) for kind in EntityKind}
    assert len(iris) == len(EntityKind)


# -- name_key / url_key ------------------------------------------------------------------


@FAST
@given(hostile_text)
@example("ImageNet 1K")
@example("GANs")
def test_name_key_never_crashes_and_keeps_only_alphanumerics(name: str) -> None:
    key = name_key(name)
    assert all(ch.isalnum() for ch in key), key
    assert key == key.casefold() or key.casefold() != key  # no exception on odd case rules
    assert name_key(name) == key  # deterministic
    assert name_key(f"  {name}\t") == key  # surrounding whitespace never matters


@FAST
@given(st.sampled_from(["ImageNet", "CIFAR-10", "ResNet", "BERT", "MS COCO", "Image Net-1k"]),
       st.sampled_from(["", " ", "-", "_", "  "]))
def test_name_key_ignores_case_hyphens_and_spaces_on_real_names(name: str, sep: str) -> None:
    variants = {name, name.upper(), name.lower(), name.replace(" ", sep), name.replace("-", sep)}
    assert len({name_key(v) for v in variants}) == 1


def test_name_key_is_idempotent_and_case_insensitive_for_plurals() -> None:
    assert name_key(name_key("ImageNets")) == name_key("ImageNets")
    assert name_key("image nets") == name_key("image-nets")


@FAST
@given(url_text)
def test_url_key_never_crashes_on_found_urls_and_is_idempotent(text: str) -> None:
    assume("[" not in text and "]" not in text)
    for found in find_urls(text):
        key = url_key(found.canonical)
        assert url_key(canonical_url(found.canonical)[0]) == key  # stable under re-canonicalising
        host = urlsplit(found.canonical).hostname
        if found.is_code and host in CODE_HOSTS and not key.endswith(".git"):
            assert url_key(key) == key, (found.canonical, key)  # repo keys are fixed points


@FAST
@given(st.text(alphabet=string.printable, max_size=60) | st.text(max_size=30))
def test_url_key_never_crashes_on_any_text(url: str) -> None:
    key = url_key(url)
    assert isinstance(key, str) and url_key(url) == key  # deterministic


# -- Resolver ----------------------------------------------------------------------------


@FAST
@given(hostile_text, st.sampled_from(list(EntityKind)))
@example("ILSVRC-2012", EntityKind.DATASET)
@example("imagenet", EntityKind.DATASET)
def test_resolver_never_crashes_and_is_idempotent(name: str, kind: EntityKind) -> None:
    """Resolving the canonical name again lands on the same entity: a name shown in the
    graph can always be queried back."""
    resolver = Resolver.default()
    entity = resolver.resolve(kind, name)
    assert entity.kind is kind
    again = resolver.resolve(kind, entity.name)
    assert again == entity
    assert resolver.key(kind, name) == entity.key
    _valid_iri(entity_iri(DEFAULT_BASE_IRI, kind, entity.key))
