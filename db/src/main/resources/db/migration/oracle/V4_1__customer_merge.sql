-- Nightly identity consolidation (issue 4): one audit row per merge of two customers found to be one person,
-- and every sighting and template it moved, so that the merge can be undone exactly. (Untested: no Oracle here.)
CREATE TABLE customer_merge (
    id               NUMBER(19) PRIMARY KEY,
    survivor_id      NUMBER(19)    NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    absorbed_id      NUMBER(19)    NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    similarity       BINARY_FLOAT  NOT NULL,
    merge_threshold  BINARY_FLOAT  NOT NULL,
    merged_at        TIMESTAMP     NOT NULL,
    job_execution_id NUMBER(19),
    undone_at        TIMESTAMP
);
CREATE INDEX ix_customer_merge_survivor ON customer_merge (survivor_id);
CREATE INDEX ix_customer_merge_absorbed ON customer_merge (absorbed_id);

-- item_type: 'S' a sighting, 'T' a face template (ids of those tables; no foreign key: retention may delete them)
CREATE TABLE customer_merge_item (
    merge_id   NUMBER(19)  NOT NULL REFERENCES customer_merge (id) ON DELETE CASCADE,
    item_type  CHAR(1)     NOT NULL,
    item_id    NUMBER(19)  NOT NULL,
    CONSTRAINT pk_customer_merge_item PRIMARY KEY (merge_id, item_type, item_id)
);
