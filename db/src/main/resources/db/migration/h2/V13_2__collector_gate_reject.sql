-- Quality-gate rejections per camera and reason (issue 4 item 2), as the latest heartbeat of each collector
-- reported them (counts since the collector started). Replaced together with collector_heartbeat's row.
CREATE TABLE collector_gate_reject (
    collector_id  VARCHAR(100) NOT NULL REFERENCES collector_heartbeat (collector_id) ON DELETE CASCADE,
    camera        VARCHAR(100) NOT NULL,
    reason        VARCHAR(20)  NOT NULL,
    rejects       BIGINT       NOT NULL,
    PRIMARY KEY (collector_id, camera, reason)
);
