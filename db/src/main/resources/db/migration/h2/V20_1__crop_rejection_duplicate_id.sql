-- A redelivered crop whose rejection already committed is recognised by its duplicate id (FaceCropConsumer
-- acknowledges after the commit): looked up on every rejection, so indexed.
CREATE INDEX ix_crop_rejection_duplicate_id ON crop_rejection (duplicate_id);
