"""Federation: a national read store fed from every provincial ledger (decision 0029).

Each province keeps its own ledger on its own PostgreSQL (a primary, with a streaming
replica for reads); the nation keeps no events of its own. ``NationalFeed`` follows
each province's notification log (on its replica) and folds the same read models into
a schema of that province on the national server; ``NationalStore`` lays views over
those schemas, so the national registers, rankings and campaign tables are answered by
the same ``Reads`` code as a province's, without touching any provincial primary.
"""

from .feeder import FeedFigures, NationalFeed, Province
from .national import NationalStore
from .source import ProvinceLog

__all__ = ["FeedFigures", "NationalFeed", "NationalStore", "Province", "ProvinceLog"]
