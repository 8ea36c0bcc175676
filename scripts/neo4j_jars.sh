#!/usr/bin/env bash
# Fetch Neo4j Community 5.26 and its classpath from Maven Central into .neo4j/lib (cached).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .neo4j/lib/.complete ]; then exit 0; fi
command -v java >/dev/null || { echo "error: java (17+) is needed for Neo4j" >&2; exit 1; }
command -v mvn >/dev/null || { echo "error: maven is needed to fetch Neo4j" >&2; exit 1; }
mvn -B -q -f kg/neo4j/pom.xml dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$PWD/.neo4j/lib"
touch .neo4j/lib/.complete
