-- The latest heartbeat of each collector (issue 5): one row per collector, replaced by each newer heartbeat.
-- The key figures are columns (for lists and alerts); the whole report (cameras, rejects by reason) is kept as
-- the JSON the collector sent.
CREATE TABLE collector_heartbeat (
    collector_id        VARCHAR(100)  PRIMARY KEY,
    store_code          VARCHAR(64)   NOT NULL,
    sender              VARCHAR(100),
    sent_at             TIMESTAMP       NOT NULL,
    received_at         TIMESTAMP       NOT NULL,
    status              VARCHAR(20)   NOT NULL,
    frames              BIGINT       NOT NULL,
    faces               BIGINT       NOT NULL,
    backlog             BIGINT       NOT NULL,
    dropped             BIGINT       NOT NULL,
    oldest_undelivered  TIMESTAMP,
    collector_version   VARCHAR(200),
    report              VARCHAR(4000) NOT NULL
);
