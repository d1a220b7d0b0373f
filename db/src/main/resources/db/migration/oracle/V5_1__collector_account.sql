-- Which store each collector user belongs to (issue 5). The broker authenticates a collector as a user of the
-- server's ApplicationRealm; the crop consumer reads that validated user from the message (never a property the
-- sender sets) and rejects a crop whose storeId is not the store of its sender. Passwords are not kept here.
CREATE TABLE collector_account (
    username    VARCHAR2(100) PRIMARY KEY,
    store_id    NUMBER(19)       NOT NULL REFERENCES store (id),
    created_at  TIMESTAMP       NOT NULL
);
CREATE INDEX ix_collector_account_store ON collector_account (store_id);
