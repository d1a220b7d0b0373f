-- daily-aggregates, extended (issue 6): new vs returning customers, dwell, busiest hour per store-day;
-- appearances to date per customer x store; the index the late-crop (stale day) scan needs.
ALTER TABLE store_day_aggregate ADD COLUMN new_customers INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE store_day_aggregate ADD COLUMN returning_customers INTEGER DEFAULT 0 NOT NULL;
-- seconds from a visit's first to its last sighting; NULL on a day without visits
ALTER TABLE store_day_aggregate ADD COLUMN avg_dwell_seconds DOUBLE PRECISION;
ALTER TABLE store_day_aggregate ADD COLUMN median_dwell_seconds DOUBLE PRECISION;
-- store-local hour (0-23) in which most visits started (earliest on a tie); NULL without visits
ALTER TABLE store_day_aggregate ADD COLUMN busiest_hour INTEGER;

-- The seed's aggregate: visits of a customer to a store over all aggregated days.
CREATE TABLE customer_store_aggregate (
    customer_id  BIGINT  NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    store_id     BIGINT  NOT NULL REFERENCES store (id),
    appearances  INTEGER NOT NULL,
    first_day    DATE    NOT NULL,
    last_day     DATE    NOT NULL,
    PRIMARY KEY (customer_id, store_id)
);
CREATE INDEX ix_cs_aggregate_store ON customer_store_aggregate (store_id);

CREATE INDEX ix_sighting_received ON sighting (received_at);
