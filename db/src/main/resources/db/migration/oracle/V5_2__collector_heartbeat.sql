-- The latest heartbeat of each collector (issue 5): one row per collector, replaced by each newer heartbeat.
-- The key figures are columns (for lists and alerts); the whole report (cameras, rejects by reason) is kept as
-- the JSON the collector sent.
CREATE TABLE collector_heartbeat (
    collector_id        VARCHAR2(100)  PRIMARY KEY,
    store_code          VARCHAR2(64)   NOT NULL,
    sender              VARCHAR2(100),
    sent_at             TIMESTAMP       NOT NULL,
    received_at         TIMESTAMP       NOT NULL,
    status              VARCHAR2(20)   NOT NULL,
    frames              NUMBER(19)       NOT NULL,
    faces               NUMBER(19)       NOT NULL,
    backlog             NUMBER(19)       NOT NULL,
    dropped             NUMBER(19)       NOT NULL,
    oldest_undelivered  TIMESTAMP,
    collector_version   VARCHAR2(200),
    report              VARCHAR2(4000) NOT NULL
);
