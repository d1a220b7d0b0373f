-- Collector credentials the application manages (issue 5 item 3). The server's broker authenticates collectors
-- against these columns through an Elytron jdbc-realm (server.cli: RvaCollectorRealm, algorithm
-- password-salt-digest-sha-256: secret_hash = base64(SHA-256(UTF-8 secret || salt)), secret_salt = base64(salt)).
-- The secret itself is never stored; an account without a hash cannot log in. secret_set_at: last create/rotate.
ALTER TABLE collector_account ADD COLUMN secret_hash VARCHAR(100);
ALTER TABLE collector_account ADD COLUMN secret_salt VARCHAR(100);
ALTER TABLE collector_account ADD COLUMN secret_set_at TIMESTAMP;
