-- One number that every writer of portal_store_day moves in the transaction of its writes (PortalDaysSql.changed:
-- daily-aggregates' chunks, an erasure's refresh, the retention purge). A server keeps the rows it has read in
-- memory (PortalDayCache) under the number it read before them, and drops them all when the number has moved, so
-- a page reads this row instead of 30,000 store-days (docs/portal-and-api.md). An UPDATE, not a sequence: it is
-- ordered by commit, so no change can be missed.
CREATE TABLE portal_days_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO portal_days_version (id, version) VALUES (1, 0);
