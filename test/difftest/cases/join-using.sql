-- JOIN … USING: the unqualified column is the kept side's, `*` lists it once and first.
-- table: a (id INT, x STRING)
-- row: {"id": 1, "x": "a1"}
-- row: {"id": 2, "x": "a2"}
-- table: b (id INT, y STRING)
-- row: {"id": 1, "y": "b1"}
-- row: {"id": 3, "y": "b3"}

-- case: using-inner
SELECT id, x, y FROM a JOIN b USING (id);
-- case: using-star
-- vitest
SELECT * FROM a JOIN b USING (id);
-- case: using-left
SELECT id, x, y FROM a LEFT JOIN b USING (id);
-- case: using-right
SELECT id, x, y FROM a RIGHT JOIN b USING (id);
-- case: using-qualified
SELECT a.id, b.id, x FROM a JOIN b USING (id);
-- case: using-left-star
SELECT * FROM a LEFT JOIN b USING (id);
-- case: using-right-star
SELECT * FROM a RIGHT JOIN b USING (id);
-- case: using-star-swapped
SELECT * FROM b JOIN a USING (id);
-- case: using-streaming
-- mode: streaming
SELECT id, x, y FROM a JOIN b USING (id);
