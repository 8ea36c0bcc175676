// kg's Neo4j schema, applied by kg.neo4j.store when a store is opened; also
// runnable by hand: cypher-shell -f schemas/neo4j.cypher
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT method_key IF NOT EXISTS FOR (n:Method) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT dataset_key IF NOT EXISTS FOR (n:Dataset) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT task_key IF NOT EXISTS FOR (n:Task) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT metric_key IF NOT EXISTS FOR (n:Metric) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT coderepository_key IF NOT EXISTS FOR (n:CodeRepository) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT url_key IF NOT EXISTS FOR (n:URL) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT result_id IF NOT EXISTS FOR (n:Result) REQUIRE n.id IS UNIQUE;
CREATE INDEX paper_title_key IF NOT EXISTS FOR (n:Paper) ON (n.title_key);
CREATE INDEX paper_arxiv_id IF NOT EXISTS FOR (n:Paper) ON (n.arxiv_id);
CREATE INDEX paper_doi IF NOT EXISTS FOR (n:Paper) ON (n.doi);
