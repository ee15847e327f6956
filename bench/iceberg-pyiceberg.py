# pyiceberg's side of `npm run bench iceberg`: the same rows (id, user_id, event_type, amount,
# event_time) appended to a table of a local SQL (sqlite) catalog, one append = one snapshot.
# Building the pyarrow table is not timed; the append (Parquet encode, file write, manifests,
# metadata commit) is. Prints one JSON line: wall and CPU seconds of the append.
import datetime
import decimal
import json
import os
import sys
import time

import pyarrow as pa
from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.schema import Schema
from pyiceberg.types import DecimalType, LongType, NestedField, StringType, TimestampType

n = int(sys.argv[1])
root = sys.argv[2]
types = ["click", "view", "purchase", "login", "logout"]
base = datetime.datetime(2025, 12, 29, 10, 0, 0)
schema = Schema(
    NestedField(1, "id", LongType(), required=False),
    NestedField(2, "user_id", StringType(), required=False),
    NestedField(3, "event_type", StringType(), required=False),
    NestedField(4, "amount", DecimalType(10, 2), required=False),
    NestedField(5, "event_time", TimestampType(), required=False),
)
arrow_schema = pa.schema([
    pa.field("id", pa.int64()),
    pa.field("user_id", pa.large_string()),
    pa.field("event_type", pa.large_string()),
    pa.field("amount", pa.decimal128(10, 2)),
    pa.field("event_time", pa.timestamp("us")),
])
table = pa.table({
    "id": pa.array(range(n), pa.int64()),
    "user_id": pa.array([f"u{i % 1000}" for i in range(n)], pa.large_string()),
    "event_type": pa.array([types[i % 5] for i in range(n)], pa.large_string()),
    "amount": pa.array([decimal.Decimal(i % 100000).scaleb(-2) for i in range(n)], pa.decimal128(10, 2)),
    "event_time": pa.array([base + datetime.timedelta(milliseconds=i) for i in range(n)], pa.timestamp("us")),
}, schema=arrow_schema)

os.makedirs(os.path.join(root, "wh"), exist_ok=True)
cat = SqlCatalog("bench", uri=f"sqlite:///{os.path.join(root, 'catalog.db')}", warehouse=f"file://{os.path.join(root, 'wh')}")
cat.create_namespace("demo")
t = cat.create_table("demo.events", schema)
w0, c0 = time.perf_counter(), time.process_time()
t.append(table)
wall, cpu = time.perf_counter() - w0, time.process_time() - c0
t = cat.load_table("demo.events")
summary = t.current_snapshot().summary
print(json.dumps({
    "seconds": round(wall, 3),
    "cpuSeconds": round(cpu, 3),
    "rows": int(summary["added-records"]),
    "files": int(summary["added-data-files"]),
    "bytes": int(summary["added-files-size"]),
    "pyiceberg": __import__("pyiceberg").__version__,
    "pyarrow": pa.__version__,
}))
