-- region-report (issue 6): who gets each region's morning e-mail, and the send log that makes each
-- (region, day) go out exactly once; job schedules as data an admin edits.

CREATE TABLE region_report_recipient (
    id            BIGINT       PRIMARY KEY,
    region_id     BIGINT       NOT NULL REFERENCES region (id) ON DELETE CASCADE,
    email         VARCHAR(320) NOT NULL,
    display_name  VARCHAR(200),
    active        BOOLEAN      DEFAULT TRUE NOT NULL,
    CONSTRAINT uq_report_recipient UNIQUE (region_id, email)
);

-- One row per (region, store-local day), written before anything is sent. status: PENDING, SENDING
-- (claimed by job_execution_id; a row left SENDING by a crash is not resent automatically), SENT,
-- FAILED (retries used up; the next run or a restart tries again), NO_RECIPIENTS.
CREATE TABLE region_report_outbox (
    region_id         BIGINT        NOT NULL REFERENCES region (id) ON DELETE CASCADE,
    local_day         DATE          NOT NULL,
    status            VARCHAR(20)   NOT NULL,
    attempts          INTEGER       DEFAULT 0 NOT NULL,
    recipients        VARCHAR(4000),
    message_id        VARCHAR(300),
    last_error        VARCHAR(2000),
    job_execution_id  BIGINT,
    created_at        TIMESTAMP     NOT NULL,
    updated_at        TIMESTAMP     NOT NULL,
    sent_at           TIMESTAMP,
    PRIMARY KEY (region_id, local_day)
);

-- When each job runs (server-local time of day); next_run_at (UTC) is claimed by one node per run.
CREATE TABLE job_schedule (
    job_name          VARCHAR(100) PRIMARY KEY,
    run_hour          INTEGER      NOT NULL,
    run_minute        INTEGER      NOT NULL,
    enabled           BOOLEAN      NOT NULL,
    next_run_at       TIMESTAMP,
    last_run_at       TIMESTAMP,
    last_execution_id BIGINT,
    CONSTRAINT ck_job_schedule_time CHECK (run_hour BETWEEN 0 AND 23 AND run_minute BETWEEN 0 AND 59)
);
INSERT INTO job_schedule (job_name, run_hour, run_minute, enabled) VALUES ('daily-aggregates', 2, 30, TRUE);
INSERT INTO job_schedule (job_name, run_hour, run_minute, enabled) VALUES ('region-report', 7, 0, TRUE);
