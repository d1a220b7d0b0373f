-- Demo data (loaded only when the server runs with -Drva.demo-data=true): one region, two stores
-- with one camera each, matching the collectors that `./rva demo` starts. Ids below 1000 never
-- collide with the id sequence.
INSERT INTO region (id, code, name)
SELECT 1, 'demo', 'Demo region' WHERE NOT EXISTS (SELECT 1 FROM region WHERE code = 'demo');

INSERT INTO store (id, code, name, region_id, time_zone)
SELECT 1, 'store_001', 'Demo store 001 (Berlin)', 1, 'Europe/Berlin'
WHERE NOT EXISTS (SELECT 1 FROM store WHERE code = 'store_001');
INSERT INTO store (id, code, name, region_id, time_zone)
SELECT 2, 'store_002', 'Demo store 002 (Athens)', 1, 'Europe/Athens'
WHERE NOT EXISTS (SELECT 1 FROM store WHERE code = 'store_002');

INSERT INTO camera (id, store_id, code, name)
SELECT 1, 1, 'cam-1', 'Entrance' WHERE NOT EXISTS (SELECT 1 FROM camera WHERE store_id = 1 AND code = 'cam-1');
INSERT INTO camera (id, store_id, code, name)
SELECT 2, 2, 'cam-1', 'Entrance' WHERE NOT EXISTS (SELECT 1 FROM camera WHERE store_id = 2 AND code = 'cam-1');

-- The demo collectors' broker users (WildFly refuses '_' in user names): store-001 sends for store_001 only.
INSERT INTO collector_account (username, store_id, created_at)
SELECT 'store-001', 1, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM collector_account WHERE username = 'store-001');
INSERT INTO collector_account (username, store_id, created_at)
SELECT 'store-002', 2, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM collector_account WHERE username = 'store-002');
