"""Shared by read_table.py and write_table.py: opening a table with pyiceberg from a JSON spec.

A catalog spec is one of
  {"kind": "rest", "uri": "http://…", "props": {…}}          Iceberg REST catalog
  {"kind": "hadoop", "warehouse": "/dir or s3://…", "props": {…}}  a hadoop (filesystem) catalog:
      <warehouse>/<db>/<table>/metadata/version-hint.text names the current v<N>.metadata.json
  {"kind": "metadata", "location": "…/vN.metadata.json", "props": {…}}  one metadata file
props are pyiceberg / Iceberg FileIO properties (s3.endpoint, s3.access-key-id, …).
"""
import json
import sys


def fileio_props(props):
    out = dict(props or {})
    # tsstream and Iceberg Java spell the region client.region; pyiceberg reads s3.region.
    if "client.region" in out and "s3.region" not in out:
        out["s3.region"] = out["client.region"]
    return out


def load_table(spec, name):
    kind = spec.get("kind")
    props = fileio_props(spec.get("props"))
    if kind == "rest":
        from pyiceberg.catalog.rest import RestCatalog

        cat = RestCatalog("rest", **{"uri": spec["uri"], **props})
        return cat, cat.load_table(name)
    if kind == "hadoop":
        from pyiceberg.io import load_file_io
        from pyiceberg.table import StaticTable

        warehouse = spec["warehouse"].rstrip("/")
        parts = name.split(".")
        meta_dir = "/".join([warehouse, *parts, "metadata"])
        io = load_file_io(props, meta_dir)
        with io.new_input(meta_dir + "/version-hint.text").open() as f:
            version = f.read().decode("utf-8").strip()
        return None, StaticTable.from_metadata(f"{meta_dir}/v{version}.metadata.json", props)
    if kind == "metadata":
        from pyiceberg.table import StaticTable

        return None, StaticTable.from_metadata(spec["location"], props)
    raise ValueError(f"unknown catalog kind {kind!r}")


def main(fn):
    """Reads the request as JSON on stdin, writes the answer as JSON on stdout; errors go to stderr
    with exit code 1 (the TypeScript side shows them)."""
    request = json.load(sys.stdin)
    try:
        answer = fn(request)
    except Exception as e:  # noqa: BLE001 - reported to the test, which fails
        print(f"{type(e).__name__}: {e}", file=sys.stderr)
        sys.exit(1)
    json.dump(answer, sys.stdout)
