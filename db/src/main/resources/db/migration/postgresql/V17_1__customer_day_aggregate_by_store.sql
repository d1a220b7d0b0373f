-- daily-aggregates at scale (issue 6): a chunk deletes its stores' customer-days of the run and re-sums their
-- appearances to date from all their customer-days (store_id = ANY (...) GROUP BY store_id, customer_id).
-- The primary key (customer_id, store_id, local_day) and ix_csd_aggregate_day (local_day, store_id) serve
-- neither, so each chunk read the whole table; this index reads just the chunk's stores, in group order.
CREATE INDEX ix_csd_aggregate_store ON customer_store_day_aggregate (store_id, customer_id, local_day) INCLUDE (visits);
