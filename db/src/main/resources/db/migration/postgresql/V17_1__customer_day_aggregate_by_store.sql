-- daily-aggregates at scale (issue 6). A chunk of the job deletes and re-inserts the customer-days of its stores
-- and re-sums their appearances to date (store_id = ANY (...) GROUP BY store_id, customer_id). Nothing looks
-- customer-days up by customer first, so the primary key leads with the store: it serves those statements
-- (index-only, with visits included) and no extra index has to be kept up to date on every insert.
ALTER TABLE customer_store_day_aggregate DROP CONSTRAINT customer_store_day_aggregate_pkey;
ALTER TABLE customer_store_day_aggregate ADD CONSTRAINT customer_store_day_aggregate_pkey
    PRIMARY KEY (store_id, customer_id, local_day) INCLUDE (visits);

-- The per-customer aggregates are derived data the job rewrites in bulk (about one customer-day row per visit):
-- their foreign keys cost a trigger and a row lock on customer and store per inserted row, which measured about a
-- fifth of the job's time. The rows come from visits (which keep their keys); an erasure deletes a customer's
-- aggregate rows itself (RetentionStore), as the ON DELETE CASCADE did.
ALTER TABLE customer_store_day_aggregate DROP CONSTRAINT customer_store_day_aggregate_customer_id_fkey;
ALTER TABLE customer_store_day_aggregate DROP CONSTRAINT customer_store_day_aggregate_store_id_fkey;
ALTER TABLE customer_store_aggregate DROP CONSTRAINT customer_store_aggregate_customer_id_fkey;
ALTER TABLE customer_store_aggregate DROP CONSTRAINT customer_store_aggregate_store_id_fkey;
