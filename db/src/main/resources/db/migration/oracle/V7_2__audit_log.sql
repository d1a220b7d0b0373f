-- Who did what when (issue 7): every admin action and every export. Rows are only ever added.
CREATE TABLE audit_log (
    id          NUMBER(19) PRIMARY KEY,
    occurred_at TIMESTAMP     NOT NULL,
    username    VARCHAR2(100)  NOT NULL,
    action      VARCHAR2(64)   NOT NULL,
    detail      VARCHAR2(2000) NOT NULL
);
CREATE INDEX ix_audit_log_time ON audit_log (occurred_at);
CREATE INDEX ix_audit_log_user ON audit_log (username, occurred_at);
