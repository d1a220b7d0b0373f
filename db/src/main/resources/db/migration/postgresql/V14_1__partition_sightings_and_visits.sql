-- PostgreSQL at scale (issue 6): visit and sighting partitioned by UTC calendar month of started_at /
-- captured_at, plus the indexes the daily-aggregates job, the region report and the portal use.
--
-- PostgreSQL requires every primary key and unique constraint of a partitioned table to include the
-- partition key, so: visit's key is (id, started_at), sighting's (id, captured_at) and the de-duplication
-- key (duplicate_id, captured_at) - a redelivered crop carries the same capturedAt, so it still collides.
-- No foreign key can reference visit(id) alone any more: sighting.visit_id keeps its meaning but loses
-- its FK (retention-purge deletes a visit's sightings itself; erasure cascades from customer to both).
--
-- Rows outside every monthly partition land in the DEFAULT partition, so an insert never fails;
-- rva_ensure_month_partitions creates monthly partitions (moving any rows of that month out of the default
-- one). The application calls it at start and from the nightly daily-aggregates job for the months ahead.

CREATE OR REPLACE FUNCTION rva_ensure_month_partitions(parent TEXT, key_column TEXT, from_month DATE, to_month DATE)
RETURNS INTEGER LANGUAGE plpgsql AS $$
DECLARE
    m DATE := date_trunc('month', from_month)::DATE;
    part TEXT;
    created INTEGER := 0;
BEGIN
    -- two nodes starting together create each partition once
    PERFORM pg_advisory_xact_lock(hashtext('rva_ensure_month_partitions'));
    WHILE m <= to_month LOOP
        part := parent || '_' || to_char(m, 'YYYYMM');
        IF to_regclass(part) IS NULL THEN
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS)', part, parent);
            EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                parent || '_default', key_column, m, key_column, (m + INTERVAL '1 month')::DATE, part);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                parent, part, m, (m + INTERVAL '1 month')::DATE);
            created := created + 1;
        END IF;
        m := (m + INTERVAL '1 month')::DATE;
    END LOOP;
    RETURN created;
END $$;

ALTER TABLE sighting DROP CONSTRAINT sighting_visit_id_fkey;
ALTER TABLE sighting RENAME TO sighting_unpartitioned;
ALTER TABLE visit RENAME TO visit_unpartitioned;
ALTER TABLE sighting_unpartitioned RENAME CONSTRAINT uq_sighting_duplicate_id TO uq_sighting_duplicate_id_old;
ALTER INDEX ix_visit_customer_store RENAME TO ix_visit_customer_store_old;
ALTER INDEX ix_visit_store_started RENAME TO ix_visit_store_started_old;
ALTER INDEX ix_visit_ended RENAME TO ix_visit_ended_old;
ALTER INDEX ix_sighting_visit RENAME TO ix_sighting_visit_old;
ALTER INDEX ix_sighting_received RENAME TO ix_sighting_received_old;
ALTER INDEX ix_sighting_captured RENAME TO ix_sighting_captured_old;

CREATE TABLE visit (
    id             BIGINT       NOT NULL,
    customer_id    BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    store_id       BIGINT       NOT NULL REFERENCES store (id),
    started_at     TIMESTAMP    NOT NULL,
    ended_at       TIMESTAMP    NOT NULL,
    sighting_count INTEGER      NOT NULL,
    CONSTRAINT pk_visit PRIMARY KEY (id, started_at)
) PARTITION BY RANGE (started_at);
CREATE TABLE visit_default PARTITION OF visit DEFAULT;

CREATE TABLE sighting (
    id            BIGINT       NOT NULL,
    duplicate_id  VARCHAR(300) NOT NULL,
    customer_id   BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    store_id      BIGINT       NOT NULL REFERENCES store (id),
    camera_id     BIGINT       NOT NULL REFERENCES camera (id),
    visit_id      BIGINT       NOT NULL,
    captured_at   TIMESTAMP    NOT NULL,
    received_at   TIMESTAMP    NOT NULL,
    similarity    REAL         NOT NULL,
    det_score     REAL         NOT NULL,
    quality       REAL         NOT NULL,
    CONSTRAINT pk_sighting PRIMARY KEY (id, captured_at),
    CONSTRAINT uq_sighting_duplicate_id UNIQUE (duplicate_id, captured_at)
) PARTITION BY RANGE (captured_at);
CREATE TABLE sighting_default PARTITION OF sighting DEFAULT;

-- visits of a store in a time range (daily-aggregates, portal, region report), with what those queries read
CREATE INDEX ix_visit_store_started ON visit (store_id, started_at) INCLUDE (customer_id, ended_at, sighting_count);
-- a customer's earlier visits to a store (new vs returning), a customer's timeline (portal)
CREATE INDEX ix_visit_customer_store ON visit (customer_id, store_id, started_at);
-- all stores' visits in a time range (portal as ADMIN)
CREATE INDEX ix_visit_started ON visit (started_at) INCLUDE (customer_id, store_id, sighting_count);
-- retention-purge
CREATE INDEX ix_visit_ended ON visit (ended_at);
CREATE INDEX ix_sighting_visit ON sighting (visit_id);
-- sightings of a store-day (daily-aggregates), late crops (stale days), retention-purge
CREATE INDEX ix_sighting_store_captured ON sighting (store_id, captured_at);
CREATE INDEX ix_sighting_received ON sighting (received_at);
CREATE INDEX ix_sighting_captured ON sighting (captured_at);
CREATE INDEX ix_sighting_customer ON sighting (customer_id);

-- monthly partitions for the months that hold data, and the current and next three months
SELECT rva_ensure_month_partitions('visit', 'started_at',
    LEAST(COALESCE((SELECT MIN(started_at) FROM visit_unpartitioned), CURRENT_DATE), CURRENT_DATE)::DATE,
    GREATEST(COALESCE((SELECT MAX(started_at) FROM visit_unpartitioned), CURRENT_DATE), CURRENT_DATE + INTERVAL '3 months')::DATE);
SELECT rva_ensure_month_partitions('sighting', 'captured_at',
    LEAST(COALESCE((SELECT MIN(captured_at) FROM sighting_unpartitioned), CURRENT_DATE), CURRENT_DATE)::DATE,
    GREATEST(COALESCE((SELECT MAX(captured_at) FROM sighting_unpartitioned), CURRENT_DATE), CURRENT_DATE + INTERVAL '3 months')::DATE);

INSERT INTO visit (id, customer_id, store_id, started_at, ended_at, sighting_count)
    SELECT id, customer_id, store_id, started_at, ended_at, sighting_count FROM visit_unpartitioned;
INSERT INTO sighting (id, duplicate_id, customer_id, store_id, camera_id, visit_id, captured_at, received_at,
        similarity, det_score, quality)
    SELECT id, duplicate_id, customer_id, store_id, camera_id, visit_id, captured_at, received_at,
        similarity, det_score, quality FROM sighting_unpartitioned;
DROP TABLE sighting_unpartitioned;
DROP TABLE visit_unpartitioned;
