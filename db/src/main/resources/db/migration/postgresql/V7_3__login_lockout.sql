-- Lock-out after repeated failed logins (issue 7): consecutive failures, and until when the user is locked.
ALTER TABLE app_user ADD failed_logins INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE app_user ADD locked_until TIMESTAMP;
ALTER TABLE app_user ADD password_changed_at TIMESTAMP;
