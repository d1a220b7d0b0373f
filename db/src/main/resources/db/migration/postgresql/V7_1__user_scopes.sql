-- What a manager may see (issue 7). A REGIONAL_MANAGER sees the stores of its regions, a STORE_MANAGER its
-- stores; an ADMIN sees everything and needs no rows here. Deleting a user, region or store drops its scopes.
CREATE TABLE app_user_region (
    username   VARCHAR(100) NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
    region_id  BIGINT       NOT NULL REFERENCES region (id) ON DELETE CASCADE,
    PRIMARY KEY (username, region_id)
);
CREATE INDEX ix_app_user_region_region ON app_user_region (region_id);

CREATE TABLE app_user_store (
    username   VARCHAR(100) NOT NULL REFERENCES app_user (username) ON DELETE CASCADE,
    store_id   BIGINT       NOT NULL REFERENCES store (id) ON DELETE CASCADE,
    PRIMARY KEY (username, store_id)
);
CREATE INDEX ix_app_user_store_store ON app_user_store (store_id);
