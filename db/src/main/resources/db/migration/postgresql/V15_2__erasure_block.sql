-- Erasure blocks re-enrolment (issue 6/7, docs/privacy.md): when retention-purge erases a customer it keeps
-- that customer's templates here, and nothing else - no customer id, no request, no time - so the list cannot
-- lead back to a person or a history. Ingest drops a crop that matches a blocked template (counted in
-- crop_rejection with reason ERASED_BLOCKED, the crop itself is not kept or forwarded).
CREATE TABLE erasure_block (
    id            BIGINT          PRIMARY KEY,
    model_version VARCHAR(64)     NOT NULL,
    embedding     BYTEA           NOT NULL
);
