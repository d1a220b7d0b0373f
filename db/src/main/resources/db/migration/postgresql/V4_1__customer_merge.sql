-- Nightly identity consolidation (issue 4): one audit row per merge of two customers found to be one person,
-- and every sighting and template it moved, so that the merge can be undone exactly.
CREATE TABLE customer_merge (
    id               BIGINT PRIMARY KEY,
    survivor_id      BIGINT      NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    absorbed_id      BIGINT      NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    similarity       REAL        NOT NULL,
    merge_threshold  REAL        NOT NULL,
    merged_at        TIMESTAMP   NOT NULL,
    job_execution_id BIGINT,
    undone_at        TIMESTAMP
);
CREATE INDEX ix_customer_merge_survivor ON customer_merge (survivor_id);
CREATE INDEX ix_customer_merge_absorbed ON customer_merge (absorbed_id);

-- item_type: 'S' a sighting, 'T' a face template (ids of those tables; no foreign key: retention may delete them)
CREATE TABLE customer_merge_item (
    merge_id   BIGINT      NOT NULL REFERENCES customer_merge (id) ON DELETE CASCADE,
    item_type  CHAR(1)     NOT NULL,
    item_id    BIGINT      NOT NULL,
    CONSTRAINT pk_customer_merge_item PRIMARY KEY (merge_id, item_type, item_id)
);
