-- Admin pages (issue 7): a store can be deactivated (kept with its history; its crops are refused as an
-- unknown store), and a camera carries the source its collector reads, how often, and whether it is on.
-- source_password is never shown by the portal nor logged; the page masks any password in source_url too.
ALTER TABLE store ADD COLUMN active BOOLEAN DEFAULT TRUE NOT NULL;

ALTER TABLE camera ADD COLUMN source_type VARCHAR(20) DEFAULT 'FOLDER' NOT NULL;
ALTER TABLE camera ADD COLUMN source_url VARCHAR(1000);
ALTER TABLE camera ADD COLUMN source_user VARCHAR(200);
ALTER TABLE camera ADD COLUMN source_password VARCHAR(200);
ALTER TABLE camera ADD COLUMN interval_seconds INTEGER DEFAULT 15 NOT NULL;
ALTER TABLE camera ADD COLUMN enabled BOOLEAN DEFAULT TRUE NOT NULL;
