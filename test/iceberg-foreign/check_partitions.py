"""Checks the partition values and paths of every data file of a table with pyiceberg's own
transforms: reads each file's rows, applies the spec's transforms to the source columns (found
by field id) and compares with the partition tuple in the manifest and the file's path. Each
file must also carry the table schema in its footer (key iceberg.schema), as Iceberg writes it.

Request (stdin): {"location": "<metadata file>", "props": {…}}
Answer: {"files": <checked>, "rows": <checked>, "problems": ["…"]}
"""
import datetime
import json
import sys
from decimal import Decimal
from urllib.parse import unquote_plus

import pyarrow.parquet as pq
from pyiceberg.table import StaticTable

EPOCH = datetime.datetime(1970, 1, 1)


def internal(v):
    """pyarrow's Python value as the representation pyiceberg transforms take."""
    if isinstance(v, datetime.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        d = v - EPOCH
        return (d.days * 86400 + d.seconds) * 1_000_000 + d.microseconds
    if isinstance(v, datetime.date):
        return (v - EPOCH.date()).days
    if isinstance(v, datetime.time):
        return ((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond
    return v


def main():
    req = json.load(sys.stdin)
    props = dict(req.get("props") or {})
    if "client.region" in props:
        props.setdefault("s3.region", props["client.region"])
    table = StaticTable.from_metadata(req["location"], props)
    schema = table.schema()
    problems = []
    files = rows = 0
    for task in table.scan().plan_files():
        df = task.file
        spec = table.specs()[df.spec_id]
        with table.io.new_input(df.file_path).open() as f:
            pf_file = pq.ParquetFile(f)
            data = pf_file.read()
            kv = pf_file.metadata.metadata or {}
        # Iceberg's writers record the table schema in the footer (key iceberg.schema).
        if b"iceberg.schema" not in kv:
            problems.append(f"{df.file_path}: no iceberg.schema key in the footer")
        else:
            written = json.loads(kv[b"iceberg.schema"])
            ids = sorted(f["id"] for f in written.get("fields", []))
            if ids != sorted(f.field_id for f in schema.fields):
                problems.append(f"{df.file_path}: iceberg.schema has field ids {ids}")
        by_id = {}
        for i, field in enumerate(data.schema):
            fid = (field.metadata or {}).get(b"PARQUET:field_id")
            if fid is not None:
                by_id[int(fid)] = data.column(i).to_pylist()
        segments = [unquote_plus(s) for s in df.file_path.split("/")]
        for pos, pf in enumerate(spec.fields):
            source = schema.find_field(pf.source_id)
            fn = pf.transform.transform(source.field_type)
            expected = df.partition[pos]
            result_type = pf.transform.result_type(source.field_type)
            human = f"{pf.name}={pf.transform.to_human_string(result_type, expected)}"
            if human not in segments:
                problems.append(f"{df.file_path}: no path segment {human}")
            for v in by_id.get(pf.source_id, []):
                got = fn(internal(v)) if v is not None else None
                if isinstance(got, Decimal) and isinstance(expected, Decimal):
                    same = got == expected
                else:
                    same = got == expected
                if not same:
                    problems.append(f"{df.file_path}: {pf.name} of {v!r} is {got!r}, the manifest says {expected!r}")
        files += 1
        rows += data.num_rows
    json.dump({"files": files, "rows": rows, "problems": problems[:20]}, sys.stdout)


if __name__ == "__main__":
    main()
