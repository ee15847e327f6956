-- The order of each key's rows at parallelism > 1 (issue 18): the filesystem source reads a file as
-- one split, by one worker, so every key's rows reach its owner in file order (Flink reads a JSON
-- file as one split too) and the results are those of parallelism 1. Before, each worker read a
-- byte range of the file and a key's rows came to its owner from two readers in no defined order:
-- `npm run difftest -- parallel-order --parallelism=2` differed (a key's second row kept by the
-- proc-time dedup, LISTAGG's order, the row-time dedup's changelog). Every key has rows in both
-- halves of the file.

-- table: po (id INT, k STRING, v INT, ts TIMESTAMP(3), pt AS PROCTIME(), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
-- row: {"id": 1, "k": "a", "v": 10, "ts": "2025-01-01 10:00:01"}
-- row: {"id": 2, "k": "b", "v": 20, "ts": "2025-01-01 10:00:02"}
-- row: {"id": 3, "k": "c", "v": 30, "ts": "2025-01-01 10:00:03"}
-- row: {"id": 4, "k": "d", "v": 40, "ts": "2025-01-01 10:00:04"}
-- row: {"id": 5, "k": "e", "v": 50, "ts": "2025-01-01 10:00:05"}
-- row: {"id": 6, "k": "f", "v": 60, "ts": "2025-01-01 10:00:06"}
-- row: {"id": 7, "k": "a", "v": 70, "ts": "2025-01-01 10:00:07"}
-- row: {"id": 8, "k": "b", "v": 80, "ts": "2025-01-01 10:00:08"}
-- row: {"id": 9, "k": "c", "v": 90, "ts": "2025-01-01 10:00:09"}
-- row: {"id": 10, "k": "d", "v": 100, "ts": "2025-01-01 10:00:10"}
-- row: {"id": 11, "k": "e", "v": 110, "ts": "2025-01-01 10:00:11"}
-- row: {"id": 12, "k": "f", "v": 120, "ts": "2025-01-01 10:00:12"}
-- row: {"id": 13, "k": "a", "v": 130, "ts": "2025-01-01 10:00:13"}
-- row: {"id": 14, "k": "b", "v": 140, "ts": "2025-01-01 10:00:14"}
-- row: {"id": 15, "k": "c", "v": 150, "ts": "2025-01-01 10:00:15"}
-- row: {"id": 16, "k": "d", "v": 160, "ts": "2025-01-01 10:00:16"}
-- row: {"id": 17, "k": "e", "v": 170, "ts": "2025-01-01 10:00:17"}
-- row: {"id": 18, "k": "f", "v": 180, "ts": "2025-01-01 10:00:18"}
-- row: {"id": 19, "k": "a", "v": 190, "ts": "2025-01-01 10:00:19"}
-- row: {"id": 20, "k": "b", "v": 200, "ts": "2025-01-01 10:00:20"}
-- row: {"id": 21, "k": "c", "v": 210, "ts": "2025-01-01 10:00:21"}
-- row: {"id": 22, "k": "d", "v": 220, "ts": "2025-01-01 10:00:22"}
-- row: {"id": 23, "k": "e", "v": 230, "ts": "2025-01-01 10:00:23"}
-- row: {"id": 24, "k": "f", "v": 240, "ts": "2025-01-01 10:00:24"}

-- case: parallel-order-dedup-keep-first-proctime
-- mode: streaming
-- compare: changelog
SELECT id, k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt ASC) AS rn FROM po) WHERE rn = 1;

-- case: parallel-order-listagg
-- mode: streaming
SELECT k, LISTAGG(CAST(id AS STRING)) AS ids FROM po GROUP BY k;

-- case: parallel-order-first-last-value
-- mode: streaming
SELECT k, FIRST_VALUE(id) AS f, LAST_VALUE(id) AS l FROM po GROUP BY k;

-- case: parallel-order-dedup-keep-last-rowtime-changelog
-- mode: streaming
-- compare: changelog
SELECT id, k FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY ts DESC) AS rn FROM po) WHERE rn = 1;

-- case: parallel-order-group-changelog
-- mode: streaming
-- compare: changelog
SELECT k, SUM(v) AS s FROM po GROUP BY k;
