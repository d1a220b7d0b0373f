-- identity-consolidation runs nightly before daily-aggregates (02:30) so that the day's figures count merged
-- customers once; like every job its time is a row of job_schedule (JobScheduler).
INSERT INTO job_schedule (job_name, run_hour, run_minute, enabled) VALUES ('identity-consolidation', 2, 0, 1);
