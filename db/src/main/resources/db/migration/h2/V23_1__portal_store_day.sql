-- The portal's precomputed figures (issue 7, ./rva bench portal; docs/portal-and-api.md): per store and UTC day
-- (the portal's ranges are UTC days) the visits, sightings, distinct customers and the exact customer set of the
-- day with each customer's visits and sightings (CustomerDayCodec: ascending ids as varint deltas). Written by
-- daily-aggregates for the UTC days that overlap the store-local days it (re)computes (PortalDaysSql). The
-- dashboard, stores and customers pages read O(stores x days) of these rows and merge the sets in memory, instead
-- of a pass over the range's visits; days without a row, or with a sighting received after the row (and after
-- the store's watermark), are counted from the visits.
CREATE TABLE portal_store_day (
    store_id        BIGINT    NOT NULL,
    utc_day         DATE      NOT NULL,
    visits          BIGINT    NOT NULL,
    sightings       BIGINT    NOT NULL,
    customers       INTEGER   NOT NULL,
    customer_visits VARBINARY(1000000) NOT NULL,
    computed_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (utc_day, store_id)
);
CREATE INDEX ix_portal_store_day_store ON portal_store_day (store_id, utc_day);

-- Per store: the job has looked for late crops (sightings received late for past days) up to fresh_until and
-- rewritten the days they made stale; the portal re-checks only sightings received after it.
CREATE TABLE portal_store_watermark (
    store_id    BIGINT    PRIMARY KEY,
    fresh_until TIMESTAMP NOT NULL
);
