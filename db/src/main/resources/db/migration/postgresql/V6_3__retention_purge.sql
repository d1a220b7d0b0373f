-- retention-purge (issue 6): erasure requests the job carries out, and one audit row per run.

-- A data subject's request to erase a customer: the job deletes the customer with its templates,
-- sightings, visits and per-customer aggregates (ON DELETE CASCADE) and marks the request DONE.
CREATE TABLE erasure_request (
    id            BIGINT       PRIMARY KEY,
    customer_id   BIGINT       NOT NULL,
    requested_at  TIMESTAMP    NOT NULL,
    requested_by  VARCHAR(100) NOT NULL,
    reason        VARCHAR(1000),
    status        VARCHAR(20)  NOT NULL,
    done_at       TIMESTAMP,
    done_by_execution BIGINT
);
CREATE INDEX ix_erasure_request_status ON erasure_request (status, requested_at);

CREATE TABLE retention_purge_run (
    id                  BIGINT    PRIMARY KEY,
    job_execution_id    BIGINT    NOT NULL,
    started_at          TIMESTAMP NOT NULL,
    finished_at         TIMESTAMP NOT NULL,
    sightings_before    TIMESTAMP NOT NULL,
    visits_before       TIMESTAMP NOT NULL,
    templates_before    TIMESTAMP NOT NULL,
    sightings_deleted   BIGINT    NOT NULL,
    visits_deleted      BIGINT    NOT NULL,
    templates_deleted   BIGINT    NOT NULL,
    customers_erased    BIGINT    NOT NULL
);

CREATE INDEX ix_sighting_captured ON sighting (captured_at);
CREATE INDEX ix_visit_ended ON visit (ended_at);
CREATE INDEX ix_face_template_created ON face_template (created_at);
