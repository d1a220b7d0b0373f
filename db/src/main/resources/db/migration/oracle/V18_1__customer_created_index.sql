-- The dashboard's returning customers (issue 7, ./rva bench portal): unique customers of the range minus those
-- enrolled since it began, found through this index instead of joining every visit of the range to all customers.
CREATE INDEX ix_customer_created ON customer (created_at);
