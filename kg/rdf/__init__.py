"""The RDF wing: everything kg knows about RDF, from vocabulary to the embedded store.

``vocab`` (namespaces and IRIs) and ``mapping`` (PaperExtraction ⇄ quads) define the
layout; ``ontology`` and ``schema`` generate ``schemas/`` from it; ``directory`` owns a
``--db`` folder (lock and metadata); ``store`` is the embedded pyoxigraph store, ``index``
its index graph (counts, rankings, first pages, pair counts: ``tally``, ``pages``,
``pairs``), ``answers`` the named questions it answers from that index, ``sharded`` the
same store in shards whose answers ``merge`` combines; ``formats`` serialises and
``parse`` reads RDF files back.
"""
