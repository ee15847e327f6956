"""Reads an Iceberg table with pyiceberg and prints it as JSON (see test/peers/pyiceberg.ts).

Request (stdin): {"catalog": <spec, see iceberg_common.py>, "table": "db.name", "snapshotId": "…"?,
  "rowFilter": "event_type == 'view'"?}  (pyiceberg's filter syntax; it prunes files by partition
  values and by the column bounds in the manifests, so wrong metrics show up as missing rows)
Answer: rows in the table's column order, converted by Iceberg type so that no digit is lost:
  long and decimal → strings; float/double → numbers ("NaN", "Infinity", "-Infinity" as strings);
  timestamp → "YYYY-MM-DDTHH:MM:SS.ffffff", timestamptz → the same + "+00:00";
  date → "YYYY-MM-DD", time → "HH:MM:SS.ffffff"; binary/fixed → hex; uuid → string;
  struct → object, list → array, map → array of [key, value].
Plus the schema, partition spec and sort order as Iceberg JSON, properties and the snapshots
(ids as strings) with their summaries, and the data files the scan planned ("files": path,
record count and the partition tuple from the manifest, in spec order: day → days since the epoch,
hour → hours, bucket → int, truncate → the truncated value, long as a string).
With "partitionOfRows": true, "rowPartitions" holds each row's partition tuple as pyiceberg's own
transforms compute it (bucket/day/truncate need pyiceberg-core), in the order of "rows".
"""
import datetime
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iceberg_common import load_table, main  # noqa: E402


def convert(t, v):
    from pyiceberg import types as T

    if v is None:
        return None
    if isinstance(t, T.LongType):
        return str(v)
    if isinstance(t, T.DecimalType):
        return str(v)
    if isinstance(t, (T.FloatType, T.DoubleType)):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
        return v
    if isinstance(t, (T.TimestamptzType,)):
        return v.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "+00:00"
    if isinstance(t, T.TimestampType):
        return v.isoformat(timespec="microseconds")
    if isinstance(t, T.DateType):
        return v.isoformat()
    if isinstance(t, T.TimeType):
        return v.isoformat(timespec="microseconds")
    if isinstance(t, (T.BinaryType, T.FixedType)):
        return bytes(v).hex()
    if isinstance(t, T.UUIDType):
        return str(v)
    if isinstance(t, T.StructType):
        return {f.name: convert(f.field_type, v.get(f.name)) for f in t.fields}
    if isinstance(t, T.ListType):
        return [convert(t.element_type, x) for x in v]
    if isinstance(t, T.MapType):
        items = v.items() if isinstance(v, dict) else v
        return [[convert(t.key_type, k), convert(t.value_type, x)] for k, x in items]
    return v


def part_value(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, int):
        return v if abs(v) < 2**53 else str(v)
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    return v if isinstance(v, (str, float)) else str(v)


def snapshot_json(s):
    summary = {}
    if s.summary is not None:
        summary = {"operation": s.summary.operation.value, **s.summary.additional_properties}
    return {
        "snapshotId": str(s.snapshot_id),
        "parentSnapshotId": None if s.parent_snapshot_id is None else str(s.parent_snapshot_id),
        "sequenceNumber": s.sequence_number,
        "timestampMs": s.timestamp_ms,
        "manifestList": s.manifest_list,
        "summary": summary,
    }


def read(request):
    _, table = load_table(request["catalog"], request["table"])
    schema = table.schema()
    snap_id = request.get("snapshotId")
    kwargs = {}
    if snap_id:
        kwargs["snapshot_id"] = int(snap_id)
    if request.get("rowFilter"):
        kwargs["row_filter"] = request["rowFilter"]
    scan = table.scan(**kwargs)
    rows = []
    row_parts = []
    spec = table.spec()
    from pyiceberg.partitioning import _to_partition_representation

    def row_transform(pf):
        source = schema.find_field(pf.source_id)
        fn = pf.transform.transform(source.field_type)
        return source.name, lambda v: fn(_to_partition_representation(source.field_type, v))

    transforms = [row_transform(pf) for pf in spec.fields]
    files = []
    if table.current_snapshot() is not None or snap_id:
        arrow = scan.to_arrow()
        for rec in arrow.to_pylist():
            rows.append([convert(f.field_type, rec.get(f.name)) for f in schema.fields])
            if request.get("partitionOfRows"):
                row_parts.append([part_value(fn(rec.get(name))) for name, fn in transforms])
        for task in scan.plan_files():
            f = task.file
            files.append({
                "path": f.file_path,
                "recordCount": f.record_count,
                "partition": [part_value(f.partition[i]) for i in range(len(spec.fields))],
            })
    current = table.current_snapshot()
    md = table.metadata
    return {
        "location": table.location(),
        "metadataLocation": table.metadata_location,
        "formatVersion": md.format_version,
        "columns": [f.name for f in schema.fields],
        "rows": rows,
        "filesScanned": len(files),
        "files": files,
        "rowPartitions": row_parts,
        "schema": json.loads(schema.model_dump_json()),
        "spec": json.loads(table.spec().model_dump_json()),
        "sortOrder": json.loads(table.sort_order().model_dump_json()),
        "properties": dict(md.properties),
        "currentSnapshot": None if current is None else snapshot_json(current),
        "snapshots": [snapshot_json(s) for s in md.snapshots],
    }


if __name__ == "__main__":
    main(read)
