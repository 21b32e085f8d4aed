"""The local web explorer: ``factiongraph serve``, or ``create_app(kb)`` from
``factiongraph.web.app`` to mount it elsewhere.

Pages (each with a JSON twin at the same address plus ``.json``):
``/`` network over time, ``/entity/{id}``, ``/relation?a=&b=``, ``/document/{id}``,
``/assertion/{id}``, ``/documents``, ``/search?q=``, ``/review``.

JSON API: ``GET /api/graph``, ``/api/facets``, ``/api/entities?q=``, ``/api/entity/{id}``,
``/api/relation?a=&b=``, ``/api/assertion/{id}``, ``/api/documents``, ``/api/document/{id}``,
``/api/review/queue``; ``POST /api/review/{id}`` and ``POST /api/assertions``.
"""
