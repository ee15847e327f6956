"""Creates (if missing) an Iceberg table with pyiceberg and appends rows to it, so that tests can
check that tsstream reads what another implementation wrote (see test/peers/pyiceberg.ts).

Request (stdin): {"catalog": {"kind": "rest", …} (see iceberg_common.py), "table": "db.name",
  "columns": [{"name": "id", "type": "long", "required": false}, …]  (Iceberg primitive type names:
      boolean int long float double decimal(P,S) date time timestamp timestamptz string uuid binary),
  "partitionBy": [{"column": "day_col", "transform": "day"}]?  (identity, year, month, day, hour,
      bucket[N], truncate[W]),
  "rows": [[…], …]  (values as read_table.py prints them: long and decimal may be strings,
      timestamps ISO strings, binary hex),
  "properties": {…}?}
Answer: {"snapshotId": "…", "metadataLocation": "…", "created": true|false}
"""
import datetime
import decimal
import os
import re
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from iceberg_common import fileio_props, main  # noqa: E402


def primitive(name):
    from pyiceberg import types as T

    simple = {
        "boolean": T.BooleanType(), "int": T.IntegerType(), "long": T.LongType(), "float": T.FloatType(),
        "double": T.DoubleType(), "date": T.DateType(), "time": T.TimeType(), "timestamp": T.TimestampType(),
        "timestamptz": T.TimestamptzType(), "string": T.StringType(), "uuid": T.UUIDType(), "binary": T.BinaryType(),
    }
    if name in simple:
        return simple[name]
    m = re.fullmatch(r"decimal\((\d+),\s*(\d+)\)", name)
    if m:
        return T.DecimalType(int(m.group(1)), int(m.group(2)))
    raise ValueError(f"unsupported column type {name!r}")


def value(t, v):
    from pyiceberg import types as T

    if v is None:
        return None
    if isinstance(t, (T.LongType, T.IntegerType)):
        return int(v)
    if isinstance(t, T.DecimalType):
        return decimal.Decimal(str(v))
    if isinstance(t, (T.FloatType, T.DoubleType)):
        return float(v)
    if isinstance(t, T.TimestamptzType):
        d = datetime.datetime.fromisoformat(v)
        return d if d.tzinfo else d.replace(tzinfo=datetime.timezone.utc)
    if isinstance(t, T.TimestampType):
        return datetime.datetime.fromisoformat(v)
    if isinstance(t, T.DateType):
        return datetime.date.fromisoformat(v)
    if isinstance(t, T.TimeType):
        return datetime.time.fromisoformat(v)
    if isinstance(t, T.BinaryType):
        return bytes.fromhex(v)
    if isinstance(t, T.UUIDType):
        return uuid.UUID(v).bytes
    return v


def transform(name):
    from pyiceberg import transforms as X

    fixed = {"identity": X.IdentityTransform(), "year": X.YearTransform(), "month": X.MonthTransform(),
             "day": X.DayTransform(), "hour": X.HourTransform()}
    if name in fixed:
        return fixed[name]
    m = re.fullmatch(r"(bucket|truncate)\[(\d+)\]", name)
    if m:
        return X.BucketTransform(int(m.group(2))) if m.group(1) == "bucket" else X.TruncateTransform(int(m.group(2)))
    raise ValueError(f"unsupported transform {name!r}")


def write(request):
    import pyarrow as pa
    from pyiceberg.catalog.rest import RestCatalog
    from pyiceberg.exceptions import NamespaceAlreadyExistsError, NoSuchTableError
    from pyiceberg.io.pyarrow import schema_to_pyarrow
    from pyiceberg.partitioning import PartitionField, PartitionSpec
    from pyiceberg.schema import Schema
    from pyiceberg.types import NestedField

    spec = request["catalog"]
    if spec.get("kind") != "rest":
        raise ValueError("write_table.py writes through a REST catalog only")
    cat = RestCatalog("rest", **{"uri": spec["uri"], **fileio_props(spec.get("props"))})
    name = request["table"]
    ns = tuple(name.split(".")[:-1])
    try:
        cat.create_namespace(ns)
    except NamespaceAlreadyExistsError:
        pass
    created = False
    try:
        table = cat.load_table(name)
    except NoSuchTableError:
        fields = [
            NestedField(i + 1, c["name"], primitive(c["type"]), required=bool(c.get("required", False)))
            for i, c in enumerate(request["columns"])
        ]
        schema = Schema(*fields)
        by_name = {f.name: f for f in fields}
        parts = [
            PartitionField(by_name[p["column"]].field_id, 1000 + i, transform(p["transform"]), f"{p['column']}_{p['transform'].split('[')[0]}")
            for i, p in enumerate(request.get("partitionBy") or [])
        ]
        table = cat.create_table(name, schema, partition_spec=PartitionSpec(*parts), properties=request.get("properties") or {})
        created = True
    schema = table.schema()
    records = [{f.name: value(f.field_type, v) for f, v in zip(schema.fields, row)} for row in request["rows"]]
    table.append(pa.Table.from_pylist(records, schema=schema_to_pyarrow(schema)))
    return {"snapshotId": str(table.current_snapshot().snapshot_id), "metadataLocation": table.metadata_location, "created": created}


if __name__ == "__main__":
    main(write)
