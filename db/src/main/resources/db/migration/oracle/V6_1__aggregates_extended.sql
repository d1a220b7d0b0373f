-- daily-aggregates, extended (issue 6): new vs returning customers, dwell, busiest hour per store-day;
-- appearances to date per customer x store; the index the late-crop (stale day) scan needs.
ALTER TABLE store_day_aggregate ADD (new_customers NUMBER(10) DEFAULT 0 NOT NULL);
ALTER TABLE store_day_aggregate ADD (returning_customers NUMBER(10) DEFAULT 0 NOT NULL);
-- seconds from a visit's first to its last sighting; NULL on a day without visits
ALTER TABLE store_day_aggregate ADD (avg_dwell_seconds BINARY_DOUBLE);
ALTER TABLE store_day_aggregate ADD (median_dwell_seconds BINARY_DOUBLE);
-- store-local hour (0-23) in which most visits started (earliest on a tie); NULL without visits
ALTER TABLE store_day_aggregate ADD (busiest_hour NUMBER(10));

-- The seed's aggregate: visits of a customer to a store over all aggregated days.
CREATE TABLE customer_store_aggregate (
    customer_id  NUMBER(19) NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    store_id     NUMBER(19) NOT NULL REFERENCES store (id),
    appearances  NUMBER(10) NOT NULL,
    first_day    DATE    NOT NULL,
    last_day     DATE    NOT NULL,
    PRIMARY KEY (customer_id, store_id)
);
CREATE INDEX ix_cs_aggregate_store ON customer_store_aggregate (store_id);

CREATE INDEX ix_sighting_received ON sighting (received_at);
