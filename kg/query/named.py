"""The named questions kg answers, each written once in SPARQL and once in Cypher.

Both texts take the same parameters (``$name`` in Cypher, a substituted ``?name`` in
SPARQL) and return the same columns in the same order, so any store answers alike; a
test holds the two to the same answers on the seed graph. pyoxigraph substitutes only
projected variables, so SPARQL texts project their parameters last and the store drops
those columns. Rows are sorted (``order``) and cut to ``limit`` by kg, not in either
text: pyoxigraph's ORDER BY costs about 2 µs a comparison (half a second for 18k rows,
against milliseconds for Python's sort), and one sort gives every store the same order.
The SPARQL top-* texts read the embedded store's running paper counts per entity
(``kg.rdf.tally``) instead of scanning every edge; a test holds them to Cypher's counts.
A store may also answer a question from what it keeps ready (``Store.answer``; the
embedded stores' index, ``kg.rdf.answers``). Every count is one row per entity, in both
languages: two entities that share a label stay two rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.model import EntityKind


@dataclass(frozen=True)
class Param:
    """A query argument; ``entity`` params are resolved to a canonical key first."""

    name: str
    help: str
    entity: EntityKind | None = None
    #: None: required; "" on an entity param: optional, meaning "any"
    default: int | bool | str | None = None

    @property
    def positional(self) -> bool:
        """Required entity names are given positionally (``kg query evaluated-on X``)."""
        return self.entity is not None and self.default is None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    description: str
    sparql: str
    cypher: str
    params: tuple[Param, ...] = field(default_factory=tuple)
    #: (column, descending) pairs: answers are sorted by kg, alike for every store
    order: tuple[tuple[str, bool], ...] = ()
    #: columns that only sort (dropped from the answer once it is sorted)
    hidden: tuple[str, ...] = ()
    #: count columns a store answering part by part (shards) adds up across parts
    sums: tuple[str, ...] = ()
    #: the question asked with ``include_variants``: each dataset's variants counted
    #: under its family (kg.query.run_named asks this one instead)
    grouped: NamedQuery | None = None

    def text(self, language: str) -> str:
        """The query text for a store's language."""
        return self.sparql if language == "sparql" else self.cypher

    @property
    def example(self) -> str:
        args = " ".join(p.name.upper() for p in self.params if p.positional)
        return f"kg query {self.name} {args}".strip()


BY_TITLE = (("title", False), ("paper", False))
WITH_CODE = Param("with_code", "only papers that link a code repository", default=False)
LIMIT = Param("limit", "rows to return, 0 for all", default=20)

#: A dataset's variants are the datasets stored as its variants (skos:broader in RDF,
#: VARIANT_OF in Neo4j; kg.resolve.variants): ImageNet-R and ImageNet-LT for ImageNet.
INCLUDE_VARIANTS = Param(
    "include_variants", "also its variants (ImageNet-R for ImageNet)", default=False
)
_VARIANT_SPARQL = """{ ?d kg:key ?dataset } UNION { ?d skos:broader/kg:key ?dataset }
  ?d kg:key ?d_key ; skos:prefLabel ?variant .
  FILTER(?d_key = ?dataset || ?include_variants)"""
_VARIANT_CYPHER = """CALL { MATCH (d:Dataset {key: $dataset}) RETURN d
  UNION MATCH (d:Dataset)-[:VARIANT_OF]->(:Dataset {key: $dataset}) WHERE $include_variants
  RETURN d }"""

EVALUATED_ON = NamedQuery(
    name="evaluated-on",
    description="Papers evaluated on a dataset, with a code link where one is released.",
    params=(
        Param("dataset", "dataset or benchmark name", EntityKind.DATASET),
        WITH_CODE,
        INCLUDE_VARIANTS,
        LIMIT,
    ),
    sparql=f"""
SELECT ?paper ?title (MIN(?url) AS ?code) ?dataset ?with_code ?include_variants
WHERE {{
  ?d a kg:Dataset .
  {_VARIANT_SPARQL}
  ?p kg:evaluatedOn ?d ; dcterms:identifier ?paper ; dcterms:title ?t .
  BIND(STR(?t) AS ?title)
  OPTIONAL {{ ?p kg:releasesCode ?c . ?c skos:prefLabel ?url }}
}}
GROUP BY ?paper ?title ?dataset ?with_code ?include_variants
HAVING (!?with_code || COUNT(?url) > 0)""",
    cypher=f"""
{_VARIANT_CYPHER}
MATCH (p:Paper)-[:EVALUATED_ON]->(d)
WITH DISTINCT p
OPTIONAL MATCH (p)-[:RELEASES_CODE]->(c:CodeRepository)
WITH p, min(c.name) AS code
WHERE NOT $with_code OR code IS NOT NULL
RETURN p.id AS paper, p.title AS title, code""",
    order=BY_TITLE,
)

METHODS_ON = NamedQuery(
    name="methods-on",
    description="Methods proposed or used by papers evaluated on a dataset.",
    params=(Param("dataset", "dataset or benchmark name", EntityKind.DATASET), LIMIT),
    sparql="""
SELECT ?method (COUNT(DISTINCT ?p) AS ?papers) ?dataset WHERE {
  ?d a kg:Dataset ; kg:key ?dataset .
  ?p kg:evaluatedOn ?d .
  { ?p kg:proposes ?m } UNION { ?p kg:uses ?m }
  ?m skos:prefLabel ?method .
}
GROUP BY ?m ?method ?dataset""",
    cypher="""
MATCH (p:Paper)-[:EVALUATED_ON]->(:Dataset {key: $dataset})
MATCH (p)-[:PROPOSES|USES]->(m:Method)
WITH m, count(DISTINCT p) AS papers
RETURN m.name AS method, papers""",
    order=(("papers", True), ("method", False)),
)

DATASETS_FOR = NamedQuery(
    name="datasets-for",
    description="Datasets that papers proposing or using a method work with.",
    params=(Param("method", "method or model name", EntityKind.METHOD), LIMIT),
    sparql="""
SELECT ?dataset (COUNT(DISTINCT ?p) AS ?papers) ?method WHERE {
  ?m a kg:Method ; kg:key ?method .
  { ?p kg:proposes ?m } UNION { ?p kg:uses ?m }
  { ?p kg:evaluatedOn ?d } UNION { ?p kg:usesDataset ?d } UNION { ?p kg:introduces ?d }
  ?d skos:prefLabel ?dataset .
}
GROUP BY ?d ?dataset ?method""",
    cypher="""
MATCH (p:Paper)-[:PROPOSES|USES]->(:Method {key: $method})
MATCH (p)-[:EVALUATED_ON|USES_DATASET|INTRODUCES]->(d:Dataset)
WITH d, count(DISTINCT p) AS papers
RETURN d.name AS dataset, papers""",
    order=(("papers", True), ("dataset", False)),
)

PAPERS_WITH_CODE = NamedQuery(
    name="papers-with-code",
    description="Papers that link a code repository.",
    params=(LIMIT,),
    sparql="""
SELECT ?paper ?title (MIN(?url) AS ?code) WHERE {
  ?p kg:releasesCode ?c ; dcterms:identifier ?paper ; dcterms:title ?t .
  ?c skos:prefLabel ?url .
  BIND(STR(?t) AS ?title)
}
GROUP BY ?paper ?title""",
    cypher="""
MATCH (p:Paper)-[:RELEASES_CODE]->(c:CodeRepository)
RETURN p.id AS paper, p.title AS title, min(c.name) AS code""",
    order=BY_TITLE,
)

TOP_DATASET_FAMILIES = NamedQuery(
    name="top-datasets",
    description="Datasets by papers, a dataset's variants counted under it.",
    params=(LIMIT,),
    sparql="""
SELECT ?dataset (COUNT(DISTINCT ?p) AS ?papers) WHERE {
  { ?p kg:evaluatedOn ?d } UNION { ?p kg:usesDataset ?d } UNION { ?p kg:introduces ?d }
  OPTIONAL { ?d skos:broader ?family }
  BIND(COALESCE(?family, ?d) AS ?top)
  ?top skos:prefLabel ?dataset .
}
GROUP BY ?top ?dataset""",
    cypher="""
MATCH (p:Paper)-[:EVALUATED_ON|USES_DATASET|INTRODUCES]->(d:Dataset)
OPTIONAL MATCH (d)-[:VARIANT_OF]->(family:Dataset)
WITH coalesce(family, d) AS top, count(DISTINCT p) AS papers
RETURN top.name AS dataset, papers""",
    order=(("papers", True), ("dataset", False)),
    sums=("papers",),
)

TOP_DATASETS = NamedQuery(
    name="top-datasets",
    description="Datasets by the number of papers that introduce, evaluate on or use them.",
    params=(
        Param("include_variants", "count a dataset's variants under it", default=False),
        LIMIT,
    ),
    grouped=TOP_DATASET_FAMILIES,
    sparql="""
SELECT ?dataset ?papers WHERE {
  ?d a kg:Dataset ; kg:paperCount ?papers ; skos:prefLabel ?dataset .
}""",
    cypher="""
MATCH (p:Paper)-[:EVALUATED_ON|USES_DATASET|INTRODUCES]->(d:Dataset)
WITH d, count(DISTINCT p) AS papers
RETURN d.name AS dataset, papers""",
    order=(("papers", True), ("dataset", False)),
)

TOP_METHODS = NamedQuery(
    name="top-methods",
    description="Methods by the number of papers that propose or use them.",
    params=(LIMIT,),
    sparql="""
SELECT ?method ?papers WHERE {
  ?m a kg:Method ; kg:paperCount ?papers ; skos:prefLabel ?method .
}""",
    cypher="""
MATCH (p:Paper)-[:PROPOSES|USES]->(m:Method)
WITH m, count(DISTINCT p) AS papers
RETURN m.name AS method, papers""",
    order=(("papers", True), ("method", False)),
)

PAPERS_ON_TASK = NamedQuery(
    name="papers-on-task",
    description="Papers that address a task.",
    params=(Param("task", "task name", EntityKind.TASK), LIMIT),
    sparql="""
SELECT ?paper ?title ?task WHERE {
  ?t a kg:Task ; kg:key ?task .
  ?p kg:addresses ?t ; dcterms:identifier ?paper ; dcterms:title ?tt .
  BIND(STR(?tt) AS ?title)
}""",
    cypher="""
MATCH (p:Paper)-[:ADDRESSES]->(:Task {key: $task})
RETURN p.id AS paper, p.title AS title""",
    order=BY_TITLE,
)

# A result's sentence around its number: up to 60 characters each side, "…" where cut.
_LEADERBOARD_SPARQL = (
    """
SELECT ?paper ?method ?value ?kind ?measure ?benchmark (MIN(?url) AS ?code) ?evidence
       ?rank_group ?rank_value ?with_code ?dataset ?include_variants WHERE {
  ?d a kg:Dataset .
  """
    + _VARIANT_SPARQL
    + """
  BIND(?variant AS ?benchmark)
  ?r kg:resultDataset ?d ; kg:statedValue ?value ; kg:resultKind ?kind ; mls:hasValue ?number ;
     kg:start ?start ; kg:end ?end ; kg:sentenceStart ?ss ; kg:sentenceEnd ?se .
  OPTIONAL { ?r kg:resultMetric ?mt . ?mt kg:key ?metric_key ; skos:prefLabel ?metric_name }
  FILTER(?metric = "" || ?metric_key = ?metric)
  ?p kg:reportsResult ?r ; dcterms:identifier ?paper ; dcterms:abstract ?abstract .
  OPTIONAL { ?r kg:resultMethod/skos:prefLabel ?method }
  OPTIONAL { ?r kg:betterWhen ?better }
  OPTIONAL { ?p kg:releasesCode ?c . ?c skos:prefLabel ?url }
  BIND(COALESCE(?metric_name, "") AS ?measure)
  BIND(IF(?kind = "score", 0, 1) AS ?rank_group)
  BIND(IF(COALESCE(?better, "") = "lower", ?number, -?number) AS ?rank_value)
  BIND(IF(?start - 60 > ?ss, ?start - 60, ?ss) AS ?from)
  BIND(IF(?end + 60 < ?se, ?end + 60, ?se) AS ?to)
  BIND(CONCAT(IF(?from > ?ss, "…", ""), SUBSTR(STR(?abstract), ?from + 1, ?to - ?from),
              IF(?to < ?se, "…", "")) AS ?evidence)
}
GROUP BY ?r ?paper ?method ?value ?kind ?measure ?benchmark ?evidence ?rank_group ?rank_value
  ?with_code ?dataset ?include_variants
HAVING (!?with_code || COUNT(?url) > 0)"""
)

LEADERBOARD = NamedQuery(
    name="leaderboard",
    description="Results stated on a dataset, best first by each metric's direction; "
    "improvements ranked apart from scores.",
    params=(
        Param("dataset", "dataset or benchmark name", EntityKind.DATASET),
        Param("metric", "only results in this metric", EntityKind.METRIC, default=""),
        WITH_CODE,
        INCLUDE_VARIANTS,
        LIMIT,
    ),
    sparql=_LEADERBOARD_SPARQL,
    cypher="""
"""
    + _VARIANT_CYPHER
    + """
MATCH (p:Paper)-[:REPORTS_RESULT]->(x:Result)-[:ON_DATASET]->(d)
WHERE x.number IS NOT NULL
OPTIONAL MATCH (x)-[:IN_METRIC]->(mt:Metric)
WITH p, x, d, mt WHERE $metric = '' OR mt.key = $metric
OPTIONAL MATCH (x)-[:OF_METHOD]->(m:Method)
OPTIONAL MATCH (p)-[:RELEASES_CODE]->(c:CodeRepository)
WITH p, x, d, mt, m, min(c.name) AS code
WHERE NOT $with_code OR code IS NOT NULL
WITH p, x, d, mt, m, code,
  CASE WHEN x.start - 60 > x.sentence_start THEN x.start - 60 ELSE x.sentence_start END AS from,
  CASE WHEN x.end + 60 < x.sentence_end THEN x.end + 60 ELSE x.sentence_end END AS to
RETURN p.id AS paper, m.name AS method, x.value AS value, x.kind AS kind,
  coalesce(mt.name, '') AS measure, d.name AS benchmark, code,
  CASE WHEN from > x.sentence_start THEN '…' ELSE '' END + substring(p.abstract, from, to - from)
    + CASE WHEN to < x.sentence_end THEN '…' ELSE '' END AS evidence,
  CASE WHEN x.kind = 'score' THEN 0 ELSE 1 END AS rank_group,
  CASE WHEN x.better = 'lower' THEN x.number ELSE -x.number END AS rank_value""",
    order=(
        ("benchmark", False),
        ("measure", False),
        ("rank_group", False),
        ("rank_value", False),
        ("paper", False),
    ),
    hidden=("rank_group", "rank_value"),
)

BENCHMARKS = NamedQuery(
    name="benchmarks",
    description="Benchmarks (dataset, metric) by the number of results stated on them.",
    params=(LIMIT,),
    sparql="""
SELECT ?dataset ?metric (COUNT(?r) AS ?results) (COUNT(DISTINCT ?p) AS ?papers) WHERE {
  ?p kg:reportsResult ?r .
  ?r kg:resultDataset ?d ; kg:resultMetric ?mt .
  ?d skos:prefLabel ?dataset .
  ?mt skos:prefLabel ?metric .
}
GROUP BY ?d ?mt ?dataset ?metric""",
    cypher="""
MATCH (p:Paper)-[:REPORTS_RESULT]->(x:Result)-[:ON_DATASET]->(d:Dataset)
MATCH (x)-[:IN_METRIC]->(mt:Metric)
WITH d, mt, count(x) AS results, count(DISTINCT p) AS papers
RETURN d.name AS dataset, mt.name AS metric, results, papers""",
    order=(("results", True), ("papers", True), ("dataset", False), ("metric", False)),
    sums=("results", "papers"),
)

ALL: tuple[NamedQuery, ...] = (
    EVALUATED_ON,
    METHODS_ON,
    DATASETS_FOR,
    PAPERS_WITH_CODE,
    TOP_DATASETS,
    TOP_METHODS,
    PAPERS_ON_TASK,
    LEADERBOARD,
    BENCHMARKS,
)


def entity_key_query(language: str, kind: EntityKind) -> str:
    """Rows for the entity of ``kind`` whose key is ``$key``: none when the graph lacks it
    (the label is spliced from the enum, the key is a parameter)."""
    if language == "sparql":
        return f"SELECT ?key WHERE {{ ?e a kg:{kind.value} ; kg:key ?key }} LIMIT 1"
    return f"MATCH (e:{kind.value} {{key: $key}}) RETURN e.key AS key LIMIT 1"


def entity_names_query(language: str, kind: EntityKind) -> str:
    """Every entity name of ``kind``: what a misspelt name is matched against."""
    if language == "sparql":
        return f"SELECT ?name WHERE {{ ?e a kg:{kind.value} ; skos:prefLabel ?name }}"
    return f"MATCH (e:{kind.value}) RETURN e.name AS name"


def paper_titles_query(language: str) -> str:
    """Every paper's id, title and arXiv id (or null): what a paper is looked up in."""
    if language == "sparql":
        return (
            "SELECT ?id ?title ?arxiv WHERE { ?p a kg:Paper ; dcterms:identifier ?id ; "
            "dcterms:title ?t . BIND(STR(?t) AS ?title) OPTIONAL { ?p kg:arxivId ?arxiv } }"
        )
    return "MATCH (p:Paper) RETURN p.id AS id, p.title AS title, p.arxiv_id AS arxiv"
