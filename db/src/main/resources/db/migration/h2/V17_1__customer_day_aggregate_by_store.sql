-- daily-aggregates at scale (issue 6): the primary key of customer-days leads with the store, as on PostgreSQL
-- (a chunk of the job deletes and re-sums the customer-days of its stores; nothing looks them up by customer
-- first). The foreign keys PostgreSQL drops for bulk speed stay here (H2 is the small demo database).
ALTER TABLE customer_store_day_aggregate DROP PRIMARY KEY;
ALTER TABLE customer_store_day_aggregate ADD PRIMARY KEY (store_id, customer_id, local_day);
