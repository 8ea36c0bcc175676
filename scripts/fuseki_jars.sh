#!/usr/bin/env bash
# Fetch Apache Jena Fuseki 5.6 (TDB2 and its bulk loaders with it) from Maven Central into
# .fuseki/lib (cached).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .fuseki/lib/.complete ]; then exit 0; fi
command -v java >/dev/null || { echo "error: java (17+) is needed for Fuseki" >&2; exit 1; }
command -v mvn >/dev/null || { echo "error: maven is needed to fetch Fuseki" >&2; exit 1; }
mvn -B -q -f kg/fuseki/pom.xml dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$PWD/.fuseki/lib"
touch .fuseki/lib/.complete
