"""pyiceberg's GlueCatalog for the tests in test/aws: the requests of test/peers/python/read_table.py
and write_table.py, answered through a Glue Data Catalog (moto on 127.0.0.1) instead of REST.

Request (stdin): {"op": "read" | "write", "glue": {pyiceberg catalog properties: glue.endpoint,
  glue.region, glue.access-key-id, glue.secret-access-key, warehouse, s3.*}, "table": "db.name", …}
  plus the fields read_table.py or write_table.py take. Answer: theirs.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "peers", "python"))
import iceberg_common  # noqa: E402
import read_table  # noqa: E402
import write_table  # noqa: E402


def glue_catalog(props):
    from pyiceberg.catalog.glue import GlueCatalog

    return GlueCatalog("glue", **iceberg_common.fileio_props(props))


def run(request):
    props = request["glue"]
    if request["op"] == "read":
        # read_table.read opens its table through load_table: open it through Glue instead.
        read_table.load_table = lambda _spec, name: (None, glue_catalog(props).load_table(name))
        return read_table.read({**request, "catalog": {"kind": "glue"}})
    if request["op"] == "write":
        # write_table.write creates its catalog as pyiceberg.catalog.rest.RestCatalog(…): hand it Glue.
        import pyiceberg.catalog.rest as rest

        rest.RestCatalog = lambda _name, **_props: glue_catalog(props)
        return write_table.write({**request, "catalog": {"kind": "rest", "uri": "unused"}})
    raise ValueError(f"unknown op {request['op']!r}")


if __name__ == "__main__":
    iceberg_common.main(run)
