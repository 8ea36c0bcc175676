"""The Neo4j wing: kg's graph in a Neo4j 5 server over Bolt.

``mapping`` is the property-graph layout (node and edge rows, Cypher texts, constraints),
``store`` the backend over the official driver, ``admin_csv`` the CSV files
``neo4j-admin database import`` reads, ``bulk`` runs that import for ``kg neo4j import``,
and ``server`` starts a local Neo4j 5.26 from Maven Central with the ``pom.xml`` shipped
beside it.
"""
