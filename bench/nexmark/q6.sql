-- Query 6: average selling price by seller (the last 10 closed auctions of each seller).
-- Not run: Flink cannot plan it either (the suite lists it as unsupported): an OVER window over
-- an updating aggregate, and B.dateTime is neither grouped nor aggregated.
CREATE TABLE nexmark_q6 (
  seller  VARCHAR,
  avg_price  BIGINT
) WITH ('connector' = 'blackhole');

INSERT INTO nexmark_q6
SELECT
    Q.seller,
    AVG(Q.final) OVER (PARTITION BY Q.seller ORDER BY Q.dateTime ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)
FROM (
    SELECT MAX(B.price) AS final, A.seller, B.dateTime
    FROM auction AS A, bid AS B
    WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
    GROUP BY A.id, A.seller
) AS Q;
