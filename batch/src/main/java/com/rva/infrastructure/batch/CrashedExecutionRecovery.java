package com.rva.infrastructure.batch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * When the server process dies mid-run (killed, power cut), JBeret leaves the execution STARTED in its job
 * repository and refuses to restart it (WildFly 35; see WFLY-19706 / JBERET-655). At application start nothing
 * of this application runs yet, so any execution of its jobs still marked running is such a leftover: it is
 * marked FAILED (with its steps and partitions), and can then be restarted from its checkpoints like any
 * failed run. This assumes one server runs the jobs of a database (the schedules' claim makes that so);
 * in a cluster sharing the job repository, a node starting while another runs a job would fail that job.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class CrashedExecutionRecovery {

    private static final Logger LOG = Logger.getLogger(CrashedExecutionRecovery.class.getName());

    static final String JOBS = "('daily-aggregates', 'region-report', 'retention-purge', 'seed-export')";
    static final String RUNNING = "('STARTING', 'STARTED', 'STOPPING')";
    static final String EXIT = "CRASHED: the server stopped during the run; restart it to go on from its checkpoint";

    @Resource(lookup = "java:jboss/datasources/RvaDS")
    DataSource ds;

    @PostConstruct
    void recover() {
        String crashed = "SELECT e.JOBEXECUTIONID FROM JOB_EXECUTION e JOIN JOB_INSTANCE i ON i.JOBINSTANCEID = e.JOBINSTANCEID"
                + " WHERE i.JOBNAME IN " + JOBS + " AND e.BATCHSTATUS IN " + RUNNING;
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (Connection c = ds.getConnection()) {
            int partitions = update(c, "UPDATE PARTITION_EXECUTION SET BATCHSTATUS = 'FAILED', EXITSTATUS = ? WHERE BATCHSTATUS IN "
                    + RUNNING + " AND STEPEXECUTIONID IN (SELECT STEPEXECUTIONID FROM STEP_EXECUTION WHERE JOBEXECUTIONID IN ("
                    + crashed + "))", null);
            int steps = update(c, "UPDATE STEP_EXECUTION SET BATCHSTATUS = 'FAILED', EXITSTATUS = ?, ENDTIME = ? WHERE BATCHSTATUS IN "
                    + RUNNING + " AND JOBEXECUTIONID IN (" + crashed + ")", now);
            int jobs = update(c, "UPDATE JOB_EXECUTION SET BATCHSTATUS = 'FAILED', EXITSTATUS = ?, ENDTIME = ?,"
                    + " LASTUPDATEDTIME = ? WHERE JOBEXECUTIONID IN (SELECT JOBEXECUTIONID FROM (" + crashed + ") x)", now);
            if (jobs > 0) {
                LOG.warning(() -> jobs + " job execution(s) (" + steps + " step(s), " + partitions + " partition(s)) were"
                        + " left running by a server that stopped mid-run; marked FAILED so they can be restarted");
            }
        } catch (SQLException e) {
            // no job repository tables yet (nothing ever ran) or another database layout: nothing to recover
            LOG.log(Level.FINE, "No crashed job executions looked for", e);
        }
    }

    private static int update(Connection c, String sql, Timestamp now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, EXIT);
            if (now != null) {
                ps.setTimestamp(2, now);
                if (sql.contains("LASTUPDATEDTIME")) {
                    ps.setTimestamp(3, now);
                }
            }
            return ps.executeUpdate();
        }
    }
}
