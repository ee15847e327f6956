-- Query shapes in batch mode: subqueries, CTEs, set operations, joins, ordering.
-- table: emp (id INT, name STRING, dept INT, salary DECIMAL(8, 2), boss INT)
-- row: {"id": 1, "name": "ann", "dept": 10, "salary": 5000.00, "boss": null}
-- row: {"id": 2, "name": "bo", "dept": 10, "salary": 3000.50, "boss": 1}
-- row: {"id": 3, "name": "cy", "dept": 20, "salary": 4000.00, "boss": 1}
-- row: {"id": 4, "name": "di", "dept": 20, "salary": 4000.00, "boss": 3}
-- row: {"id": 5, "name": "ed", "dept": null, "salary": 1000.25, "boss": 3}
-- table: dept (id INT, title STRING)
-- row: {"id": 10, "title": "eng"}
-- row: {"id": 20, "title": "ops"}
-- row: {"id": 30, "title": "hr"}

-- case: q-cte
WITH big AS (SELECT * FROM emp WHERE salary >= 4000) SELECT name FROM big;

-- case: q-scalar-subquery
SELECT name FROM emp WHERE salary > (SELECT AVG(salary) FROM emp);

-- case: q-in-subquery
SELECT name FROM emp WHERE dept IN (SELECT id FROM dept WHERE title = 'ops');

-- case: q-not-in-subquery-with-null
SELECT title FROM dept WHERE id NOT IN (SELECT dept FROM emp);

-- case: q-exists
SELECT title FROM dept d WHERE EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id);

-- case: q-left-join-nulls
SELECT d.title, e.name FROM dept d LEFT JOIN emp e ON e.dept = d.id;

-- case: q-right-join
SELECT d.title, e.name FROM emp e RIGHT JOIN dept d ON e.dept = d.id;

-- case: q-full-join
SELECT d.title, e.name FROM emp e FULL OUTER JOIN dept d ON e.dept = d.id;

-- case: q-self-join
SELECT e.name, b.name AS boss FROM emp e JOIN emp b ON e.boss = b.id;

-- case: q-cross-join-count
SELECT COUNT(*) AS n FROM emp, dept;

-- case: q-join-using
SELECT id, title FROM dept JOIN (SELECT dept AS id, name FROM emp) USING (id);

-- case: q-intersect-except
SELECT dept FROM emp INTERSECT SELECT id FROM dept;

-- case: q-except
SELECT id FROM dept EXCEPT SELECT dept FROM emp;

-- case: q-order-by-nulls
SELECT name, dept FROM emp ORDER BY dept NULLS FIRST, name;

-- case: q-order-by-desc-limit-offset
SELECT name FROM emp ORDER BY salary DESC, name LIMIT 2 OFFSET 1;

-- case: q-rank-dense-rank
SELECT name, RANK() OVER (ORDER BY salary DESC) AS r, DENSE_RANK() OVER (ORDER BY salary DESC) AS d FROM emp;

-- case: q-window-sum-partition
SELECT name, SUM(salary) OVER (PARTITION BY dept) AS dept_total FROM emp;

-- case: q-lag-lead
SELECT name, LAG(name) OVER (ORDER BY id) AS prev_name, LEAD(name, 1, 'none') OVER (ORDER BY id) AS next_name FROM emp;

-- case: q-group-by-null-key
SELECT dept, COUNT(*) AS n FROM emp GROUP BY dept;

-- case: q-having-without-group
SELECT COUNT(*) AS n FROM emp HAVING COUNT(*) > 3;

-- case: q-view
CREATE TEMPORARY VIEW rich AS SELECT name, salary FROM emp WHERE salary > 3500;
SELECT * FROM rich;

-- case: q-select-distinct-multi
SELECT DISTINCT dept, salary FROM emp;

-- case: q-case-in-group-by
SELECT CASE WHEN salary > 3500 THEN 'high' ELSE 'low' END AS band, COUNT(*) AS n FROM emp GROUP BY CASE WHEN salary > 3500 THEN 'high' ELSE 'low' END;

-- case: q-values-join
SELECT e.name, v.bonus FROM emp e JOIN (VALUES (1, 100), (3, 50)) AS v (id, bonus) ON e.id = v.id;

-- case: q-lateral-table-subquery
SELECT d.title, (SELECT COUNT(*) FROM emp e WHERE e.dept = d.id) AS n FROM dept d;

-- case: q-string-agg-order
SELECT dept, LISTAGG(name, ';') AS names FROM (SELECT * FROM emp WHERE dept = 20) GROUP BY dept;

-- case: q-count-if-sum-case
SELECT SUM(CASE WHEN dept = 10 THEN 1 ELSE 0 END) AS in10, COUNT(CASE WHEN dept = 20 THEN 1 END) AS in20 FROM emp;

-- case: q-error-subquery-multiple-rows
SELECT name FROM emp WHERE salary = (SELECT salary FROM emp);

-- case: q-insert-into-blackhole
CREATE TEMPORARY TABLE sink (name STRING) WITH ('connector' = 'blackhole');
INSERT INTO sink SELECT name FROM emp;
