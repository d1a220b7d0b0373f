-- PostgreSQL at scale (issue 6): on PostgreSQL visit and sighting are partitioned by month (see the
-- postgresql script). This database keeps the same logical schema unpartitioned and gets the same indexes
-- the daily-aggregates job, the region report and the portal use.
DROP INDEX ix_visit_customer_store;
CREATE INDEX ix_visit_customer_store ON visit (customer_id, store_id, started_at);
CREATE INDEX ix_visit_started ON visit (started_at);
CREATE INDEX ix_sighting_store_captured ON sighting (store_id, captured_at);
CREATE INDEX ix_sighting_customer ON sighting (customer_id);
