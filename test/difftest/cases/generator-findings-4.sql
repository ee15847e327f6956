-- What the seeded random generator found in session 9, kept as cases.
-- table: gw (id INT, k INT, js STRING, l TIMESTAMP_LTZ(3))
-- row: {"id": 1, "k": 1, "js": "{\"a\": true}", "l": "1900-01-01 00:00:00Z"}
-- row: {"id": 2, "k": 0, "js": "{}", "l": "1899-12-31 23:59:59.999Z"}
-- row: {"id": 3, "k": 2, "js": "x", "l": "1883-11-18 16:59:59.999Z"}

-- case: gen-ltz-extract-floor-before-1900
-- Flink 1.20's EXTRACT (HOUR(), MINUTE() …) and FLOOR/CEIL of a TIMESTAMP_LTZ take the zone's offset
-- from java.util.TimeZone, whose table starts at 1900-01-01T00:00Z: before it the zone's present
-- standard offset (Kolkata +05:30), not the tz database's (Madras time +05:21:10) that its CAST
-- (java.time) uses. So FLOOR(1900-01-01T00:00Z TO HOUR) is 1899-12-31T23:38:50Z (floored at
-- +05:21:10) and its minute, read at +05:30, is 05:08:50 before 1970: -51.
SET 'table.local-time-zone' = 'Asia/Kolkata';
SELECT id, EXTRACT(MINUTE FROM FLOOR(l TO HOUR)) AS a, FLOOR(l TO HOUR) AS b, EXTRACT(MINUTE FROM l) AS c, EXTRACT(HOUR FROM l) AS d, HOUR(l) AS e, MINUTE(l) AS f, EXTRACT(SECOND FROM l) AS g, EXTRACT(DAY FROM l) AS h, CEIL(l TO HOUR) AS i, FLOOR(l TO DAY) AS j, CAST(l AS TIMESTAMP(3)) AS k, CAST(l AS DATE) AS m, DATE_FORMAT(l, 'yyyy-MM-dd HH:mm:ss') AS n FROM gw;

-- case: gen-ltz-extract-floor-before-1900-lord-howe
-- Lord Howe's present standard offset is +10:30 (+11:00 in summer); New York's -05:00, also before
-- its LMT (-04:56:02) ended in 1883.
SET 'table.local-time-zone' = 'Australia/Lord_Howe';
SELECT id, EXTRACT(MINUTE FROM l) AS c, EXTRACT(HOUR FROM l) AS d, FLOOR(l TO HOUR) AS f, CEIL(l TO HOUR) AS g FROM gw;

-- case: gen-ltz-extract-floor-before-1900-new-york
SET 'table.local-time-zone' = 'America/New_York';
SELECT id, EXTRACT(MINUTE FROM l) AS c, EXTRACT(HOUR FROM l) AS d, FLOOR(l TO HOUR) AS f, EXTRACT(MINUTE FROM FLOOR(l TO HOUR)) AS g FROM gw;

-- case: gen-divide-by-constant-collection-planner-class-cast
-- Flink 1.20's planner fails on a division by a constant that reads a collection (ClassCastException:
-- RexCall cannot be cast to RexLiteral: the ARRAY is not reduced to a literal), as for
-- gen-truncate-constant-planner-class-cast; tsstream answers 1.
SELECT 1 / CARDINALITY(ARRAY_SLICE(ARRAY['a'], 1, 5)) AS a;

-- case: gen-divide-by-collection-with-column-agrees
SELECT id, 1 / (CARDINALITY(ARRAY_SLICE(ARRAY['a'], 1, 5)) + 0 * k) AS a, TRY_CAST('Hello' AS INT) + CARDINALITY(ARRAY_SLICE(ARRAY['a'], 1, 5)) AS b, CAST(NULL AS INT) / CARDINALITY(ARRAY['a', 'b']) AS c FROM gw;

-- case: gen-where-json-value-boolean-null
-- Flink 1.20 fails the job on a WHERE that is a JSON_VALUE(… RETURNING BOOLEAN) or a JSON_EXISTS(…
-- UNKNOWN ON ERROR) that is NULL for a row (as gen-case-json-value-boolean-null in IF); in AND both agree.
SELECT id FROM gw WHERE JSON_VALUE(js, '$.a' RETURNING BOOLEAN);

-- case: gen-where-json-exists-unknown-on-error
SELECT id FROM gw WHERE JSON_EXISTS(js, 'strict $.a' UNKNOWN ON ERROR);

-- case: gen-where-json-value-boolean-and-agrees
SELECT id FROM gw WHERE JSON_VALUE(js, '$.a' RETURNING BOOLEAN) AND id > 0;
