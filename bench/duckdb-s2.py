# The seed job in DuckDB (the bench's batch-engine reference; never a tsstream dependency):
#   python3 bench/duckdb-s2.py FILE THREADS
# 1-minute tumbling counts per event_type over the JSON-lines file, all rows fetched. DuckDB comes
# from bench/.cache/duckdb-py (pip install --target bench/.cache/duckdb-py duckdb) or the environment.
import json, os, sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '.cache', 'duckdb-py'))
import duckdb

file, threads = sys.argv[1], int(sys.argv[2])
con = duckdb.connect()
con.execute(f"SET threads = {threads}")
rows = con.execute(
    "SELECT time_bucket(INTERVAL 1 MINUTE, event_time) AS window_start, time_bucket(INTERVAL 1 MINUTE, event_time) + INTERVAL 1 MINUTE AS window_end, "
    "event_type, count(*) AS event_count FROM read_json(?, format = 'newline_delimited', "
    "columns = {event_id: 'VARCHAR', user_id: 'VARCHAR', event_type: 'VARCHAR', event_time: 'TIMESTAMP'}) GROUP BY ALL",
    [file],
).fetchall()
print(json.dumps({"events": sum(r[3] for r in rows), "groups": len(rows), "duckdb": duckdb.__version__}))
