-- Core schema of Retail Visitor Analytics (H2). All times are UTC.
CREATE SEQUENCE rva_id_seq START WITH 1000 INCREMENT BY 50;

CREATE TABLE region (
    id          BIGINT PRIMARY KEY,
    code        VARCHAR(64)  NOT NULL UNIQUE,
    name        VARCHAR(200) NOT NULL
);

CREATE TABLE store (
    id          BIGINT PRIMARY KEY,
    code        VARCHAR(64)  NOT NULL UNIQUE,
    name        VARCHAR(200) NOT NULL,
    region_id   BIGINT       NOT NULL REFERENCES region (id),
    time_zone   VARCHAR(64)  NOT NULL
);

CREATE TABLE camera (
    id          BIGINT PRIMARY KEY,
    store_id    BIGINT       NOT NULL REFERENCES store (id),
    code        VARCHAR(64)  NOT NULL,
    name        VARCHAR(200) NOT NULL,
    CONSTRAINT uq_camera_store_code UNIQUE (store_id, code)
);

-- A pseudonymous customer: nothing but an id and when it was first seen.
CREATE TABLE customer (
    id          BIGINT PRIMARY KEY,
    created_at  TIMESTAMP    NOT NULL
);

-- An embedding (float32 little-endian) of one customer, stamped with the model that made it.
CREATE TABLE face_template (
    id            BIGINT PRIMARY KEY,
    customer_id   BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    model_version VARCHAR(64)  NOT NULL,
    embedding     VARBINARY(8192)       NOT NULL,
    quality       REAL         NOT NULL,
    created_at    TIMESTAMP    NOT NULL
);
CREATE INDEX ix_face_template_model ON face_template (model_version, customer_id);

CREATE TABLE visit (
    id             BIGINT PRIMARY KEY,
    customer_id    BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    store_id       BIGINT       NOT NULL REFERENCES store (id),
    started_at     TIMESTAMP    NOT NULL,
    ended_at       TIMESTAMP    NOT NULL,
    sighting_count INTEGER      NOT NULL
);
CREATE INDEX ix_visit_customer_store ON visit (customer_id, store_id, ended_at);
CREATE INDEX ix_visit_store_started ON visit (store_id, started_at);

-- One matched face crop. duplicate_id is the contract's storeId/cameraId/frameSeq/faceIndex.
CREATE TABLE sighting (
    id            BIGINT PRIMARY KEY,
    duplicate_id  VARCHAR(300) NOT NULL,
    customer_id   BIGINT       NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    store_id      BIGINT       NOT NULL REFERENCES store (id),
    camera_id     BIGINT       NOT NULL REFERENCES camera (id),
    visit_id      BIGINT       NOT NULL REFERENCES visit (id) ON DELETE CASCADE,
    captured_at   TIMESTAMP    NOT NULL,
    received_at   TIMESTAMP    NOT NULL,
    similarity    REAL         NOT NULL,
    det_score     REAL         NOT NULL,
    quality       REAL         NOT NULL,
    CONSTRAINT uq_sighting_duplicate_id UNIQUE (duplicate_id)
);
CREATE INDEX ix_sighting_visit ON sighting (visit_id);

-- Crops the server refused, counted by reason (DESIGN §5: permanent faults are counted).
CREATE TABLE crop_rejection (
    id            BIGINT PRIMARY KEY,
    reason        VARCHAR(64)   NOT NULL,
    detail        VARCHAR(1000) NOT NULL,
    duplicate_id  VARCHAR(300),
    store_code    VARCHAR(64),
    received_at   TIMESTAMP     NOT NULL
);
CREATE INDEX ix_crop_rejection_reason ON crop_rejection (reason, received_at);

-- Settings an admin edits (match threshold, visit gap, ...). Missing rows mean the shipped default.
CREATE TABLE app_setting (
    name          VARCHAR(100) PRIMARY KEY,
    setting_value VARCHAR(1000) NOT NULL
);

-- Aggregates built by the daily-aggregates job, per store-local day.
CREATE TABLE store_day_aggregate (
    store_id         BIGINT  NOT NULL REFERENCES store (id),
    local_day             DATE    NOT NULL,
    visits           INTEGER NOT NULL,
    unique_customers INTEGER NOT NULL,
    sightings        INTEGER NOT NULL,
    computed_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (store_id, local_day)
);

CREATE TABLE customer_store_day_aggregate (
    customer_id  BIGINT  NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
    store_id     BIGINT  NOT NULL REFERENCES store (id),
    local_day         DATE    NOT NULL,
    visits       INTEGER NOT NULL,
    PRIMARY KEY (customer_id, store_id, local_day)
);
CREATE INDEX ix_csd_aggregate_day ON customer_store_day_aggregate (local_day, store_id);

-- Portal users (Jakarta Security database identity store; PBKDF2 hashes only).
CREATE TABLE app_user (
    username      VARCHAR(100) PRIMARY KEY,
    password_hash VARCHAR(500) NOT NULL,
    display_name  VARCHAR(200) NOT NULL,
    created_at    TIMESTAMP    NOT NULL
);

CREATE TABLE app_user_role (
    username   VARCHAR(100) NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
    role_name  VARCHAR(50)  NOT NULL,
    PRIMARY KEY (username, role_name)
);
