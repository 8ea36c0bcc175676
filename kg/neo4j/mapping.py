"""kg's graph as a property graph: the rows, Cypher texts and constraints of Neo4j.

Layout (what kg/query/named.py's Cypher texts assume):
``(:Paper {id, title, abstract, content_hash, releases_code_stated, date, source, arxiv_id,
doi, url, authors})-[:EVALUATED_ON {start, end, sentence_start, sentence_end, extractor,
surfaces}]->(:Dataset {key, name, surface_forms})``. There is one relationship per
(paper, relation, entity); its evidence properties are parallel lists with one element per
mention, so an edge seen twice in an abstract keeps both spans. Absent optional paper
fields are absent properties, exactly as ``neo4j-admin import`` leaves empty CSV cells.
The Bolt store (``kg.neo4j.store``) and the CSV files (``kg.neo4j.admin_csv``) both write
this layout.

Results hang off their paper as ``(:Result)`` nodes (``kg.neo4j.results``).

Labels and relationship types are spliced into Cypher only from EntityKind and Relation
values; every value travels as a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from kg.model import (
    EVIDENCE_FIELDS,
    Entity,
    EntityKind,
    Evidence,
    Mention,
    PaperExtraction,
    Relation,
    paper_from_record,
    paper_record,
    result_order,
    stored_order,
    title_id,
)
from kg.neo4j.results import (
    CREATE_RESULTS,
    DROP_RESULTS,
    LINK_RESULTS,
    READ_RESULTS,
    link_rows,
    read_result,
    result_rows,
)
from kg.resolve.variants import VARIANT_OF, described_entities, family

if TYPE_CHECKING:  # the CSV writer uses this module without loading the driver
    from neo4j import ManagedTransaction


PAPERS = "UNWIND $rows AS r MERGE (p:Paper {id: r.id}) SET p = r"
# Papers merged into one of the batch under another id (kg.ingest.identity): gone, with
# their results; the ids are the batch papers' other identity keys.
MERGED_AWAY = (
    "UNWIND $ids AS id MATCH (p:Paper {id: id}) "
    "OPTIONAL MATCH (p)-[:REPORTS_RESULT]->(x:Result) DETACH DELETE x, p"
)
#: The stored papers holding any of ``$keys``/``$arxiv``/``$doi``, each an index seek.
IDENTITIES = (
    "CALL { UNWIND $keys AS k MATCH (p:Paper {id: k}) RETURN p "
    "UNION UNWIND $keys AS k MATCH (p:Paper {title_key: k}) RETURN p "
    "UNION UNWIND $arxiv AS a MATCH (p:Paper {arxiv_id: a}) RETURN p "
    "UNION UNWIND $doi AS d MATCH (p:Paper {doi: d}) RETURN p "
    "UNION MATCH (p:Paper) WHERE size($aliases) > 0 AND p.aliases IS NOT NULL "
    "AND any(a IN p.aliases WHERE a IN $aliases) RETURN p } "
    "RETURN p.id AS id, p.title_key AS title_key, p.arxiv_id AS arxiv, p.doi AS doi, "
    "coalesce(p.aliases, []) AS aliases"
)
DROP_EDGES = "UNWIND $ids AS id MATCH (:Paper {id: id})-[e]->() DELETE e"
ENTITY = {
    kind: (
        f"UNWIND $rows AS r MERGE (e:{kind.value} {{key: r.key}}) "
        "ON CREATE SET e.name = r.name, e.surface_forms = r.surfaces "
        "ON MATCH SET e.surface_forms = e.surface_forms + "
        "[s IN r.surfaces WHERE NOT s IN e.surface_forms]"
    )
    for kind in EntityKind
}
#: A dataset variant's link to its family (kg.resolve.variants), made with the variant.
VARIANTS = (
    "UNWIND $rows AS r MATCH (v:Dataset {key: r.key}) MATCH (f:Dataset {key: r.family}) "
    f"MERGE (v)-[:{VARIANT_OF}]->(f)"
)
# Two MATCH clauses on constrained keys, not a comma pattern: each is one index seek.
# CREATE, not MERGE: the same transaction first drops every edge of the batch's papers
# (DROP_EDGES) and rows are unique per (relation, paper, entity), so there is nothing to
# match, and MERGE's check of the paper's existing edges would be wasted work. Properties
# are set one by one: ``SET x = map`` makes the planner add an Eager.
EDGE_PROPS = (*EVIDENCE_FIELDS, "surfaces")
EDGE = {
    rel: (
        f"UNWIND $rows AS r MATCH (p:Paper {{id: r.src}}) MATCH (e:{rel.kind.value} {{key: r.dst}}) "
        f"CREATE (p)-[x:{rel.value}]->(e) SET " + ", ".join(f"x.{f} = r.{f}" for f in EDGE_PROPS)
    )
    for rel in Relation
}
READ = f"""
UNWIND $ids AS id MATCH (p:Paper {{id: id}})
OPTIONAL MATCH (p)-[r]->(e) WHERE NOT e:Result
WITH p, collect(CASE WHEN r IS NOT NULL THEN
  {{type: type(r), label: labels(e)[0], key: e.key, name: e.name, ev: properties(r)}} END) AS edges
RETURN p {{.*}} AS paper, edges, {READ_RESULTS}
"""
STATS = " UNION ALL ".join(
    [
        f"MATCH (n:{label}) RETURN '{label}' AS name, count(n) AS n"
        for label in ["Paper", *(k.value for k in EntityKind)]
    ]
    + [
        f"MATCH ()-[r:{rel.value}]->() RETURN '{rel.value}' AS name, count(r) AS n"
        for rel in Relation
    ]
)


def schema_statements() -> list[str]:
    """One uniqueness constraint per label: MERGE seeks its backing index, never scans."""
    out = ["CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE"]
    out += [
        f"CREATE CONSTRAINT {k.value.lower()}_key IF NOT EXISTS "
        f"FOR (n:{k.value}) REQUIRE n.key IS UNIQUE"
        for k in EntityKind
    ]
    out.append("CREATE CONSTRAINT result_id IF NOT EXISTS FOR (n:Result) REQUIRE n.id IS UNIQUE")
    # the identity look-ups of a build (IDENTITIES): one index seek per key
    out += [
        f"CREATE INDEX paper_{prop} IF NOT EXISTS FOR (n:Paper) ON (n.{prop})"
        for prop in ("title_key", "arxiv_id", "doi")
    ]
    return out


def schema_text() -> str:
    """The text of schemas/neo4j.cypher (a test keeps the file equal to this)."""
    head = (
        "// kg's Neo4j schema, applied by kg.neo4j.store when a store is opened; also\n"
        "// runnable by hand: cypher-shell -f schemas/neo4j.cypher\n"
    )
    return head + "".join(f"{s};\n" for s in schema_statements())


def paper_props(ex: PaperExtraction) -> dict[str, Any]:
    """The Paper node's properties; absent optional fields are left out, not stored empty."""
    props = paper_record(ex.paper)
    props |= {
        "content_hash": ex.content_hash,
        "title_key": title_id(ex.paper.title),
        "releases_code_stated": ex.releases_code,
    }
    return props


class GraphRows(NamedTuple):
    """One batch as rows: papers, entities by kind (first name wins, surface forms
    united, a dataset variant's ``family`` key), one row per (relation, paper, entity)
    edge, and one per result."""

    papers: list[dict[str, Any]]
    entities: dict[EntityKind, dict[str, dict[str, Any]]]
    edges: dict[Relation, dict[tuple[str, str], dict[str, list[Any]]]]
    results: list[dict[str, Any]]


def graph_rows(batch: Sequence[PaperExtraction]) -> GraphRows:
    """The batch's rows. A paper listed twice keeps its last version. Every mention is
    kept (two extractors may report the same span), so ``extractions()`` gives back
    exactly what was written."""
    latest = {ex.paper.id: ex for ex in batch}
    entities: dict[EntityKind, dict[str, dict[str, Any]]] = {}
    edges: dict[Relation, dict[tuple[str, str], dict[str, list[Any]]]] = {}
    for ex in latest.values():
        for entity, surfaces in described_entities(ex).items():
            e = entities.setdefault(entity.kind, {}).setdefault(
                entity.key, {"key": entity.key, "name": entity.name, "surfaces": []}
            )
            if (parent := family(entity)) is not None:
                e["family"] = parent.key
            e["surfaces"] += [s for s in surfaces if s not in e["surfaces"]]
        for m in ex.mentions:
            ev = edges.setdefault(m.relation, {}).setdefault(
                (ex.paper.id, m.entity.key), {f: [] for f in EDGE_PROPS}
            )
            for f, value in zip(EVIDENCE_FIELDS, m.evidence.as_tuple(), strict=True):
                ev[f].append(value)
            ev["surfaces"].append(m.surface)
    results = [row for ex in latest.values() for row in result_rows(ex)]
    return GraphRows([paper_props(ex) for ex in latest.values()], entities, edges, results)


def variant_rows(entities: dict[EntityKind, dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """(variant key, family key) of the dataset variants among entity rows."""
    datasets = entities.get(EntityKind.DATASET, {}).values()
    return [{"key": e["key"], "family": e["family"]} for e in datasets if "family" in e]


def write_batch(tx: ManagedTransaction, batch: Sequence[PaperExtraction]) -> None:
    rows = graph_rows(batch)
    ids = [p["id"] for p in rows.papers]
    merged_away = sorted({k for ex in batch for k in ex.paper.identity_keys} - set(ids))
    if merged_away:
        tx.run(MERGED_AWAY, ids=merged_away).consume()
    tx.run(PAPERS, rows=rows.papers).consume()
    tx.run(DROP_RESULTS, ids=ids).consume()
    tx.run(DROP_EDGES, ids=ids).consume()
    for kind, entity_rows in rows.entities.items():
        tx.run(ENTITY[kind], rows=list(entity_rows.values())).consume()
    if variants := variant_rows(rows.entities):
        tx.run(VARIANTS, rows=variants).consume()
    for rel, by_pair in rows.edges.items():
        edge_rows = [{"src": s, "dst": d, **props} for (s, d), props in by_pair.items()]
        tx.run(EDGE[rel], rows=edge_rows).consume()
    if rows.results:
        tx.run(CREATE_RESULTS, rows=rows.results).consume()
        for kind, links in link_rows(rows.results).items():
            tx.run(LINK_RESULTS[kind], rows=links).consume()


def extraction(
    paper: dict[str, Any], edges: list[dict[str, Any]], results: list[dict[str, Any]]
) -> PaperExtraction:
    mentions = []
    for e in edges:
        rel, ev = Relation(e["type"]), e["ev"]
        entity = Entity(EntityKind(e["label"]), e["key"], e["name"])
        for i, surface in enumerate(ev.get("surfaces", [])):
            mentions.append(
                Mention(rel, entity, surface, Evidence(*(ev[f][i] for f in EVIDENCE_FIELDS)))
            )
    mentions.sort(key=stored_order)
    return PaperExtraction(
        paper=paper_from_record(paper),
        mentions=mentions,
        releases_code=bool(paper.get("releases_code_stated")),
        content_hash=paper.get("content_hash") or "",
        results=sorted(map(read_result, results), key=result_order),
    )
