-- Admin pages (issue 7): a store can be deactivated (kept with its history; its crops are refused as an
-- unknown store), and a camera carries the source its collector reads, how often, and whether it is on.
-- source_password is never shown by the portal nor logged; the page masks any password in source_url too.
ALTER TABLE store ADD (active NUMBER(1) DEFAULT 1 NOT NULL);

ALTER TABLE camera ADD (
    source_type      VARCHAR2(20) DEFAULT 'FOLDER' NOT NULL,
    source_url       VARCHAR2(1000),
    source_user      VARCHAR2(200),
    source_password  VARCHAR2(200),
    interval_seconds NUMBER(10) DEFAULT 15 NOT NULL,
    enabled          NUMBER(1) DEFAULT 1 NOT NULL
);
