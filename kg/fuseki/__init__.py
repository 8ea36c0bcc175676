"""The SPARQL-protocol wing: kg's RDF in a triplestore server over HTTP.

``store`` is the backend that speaks SPARQL 1.1 Query and Update to any endpoint (its
graphs are the embedded store's, ``kg.rdf.mapping``'s), ``protocol`` the HTTP client
under it, and ``server`` starts a local Apache Jena Fuseki 5.6 with a TDB2 dataset from
Maven Central with the ``pom.xml`` shipped beside it.
"""
