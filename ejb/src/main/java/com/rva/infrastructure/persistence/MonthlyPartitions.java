package com.rva.infrastructure.persistence;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Date;
import java.sql.SQLException;
import java.time.Clock;
import java.time.YearMonth;
import java.util.Locale;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * On PostgreSQL, {@code visit} and {@code sighting} are partitioned by UTC month (migration V14_1); rows of a
 * month without its own partition land in the default partition. This creates the monthly partitions of the
 * current month and the next {@link #MONTHS_AHEAD} (moving any rows of those months out of the default
 * partition) through the function {@code rva_ensure_month_partitions}. Called at application start and by
 * the nightly daily-aggregates job; a no-op on the other databases.
 */
public final class MonthlyPartitions {

    private static final Logger LOG = Logger.getLogger(MonthlyPartitions.class.getName());

    /** How many months after the current one get their partitions ahead of time. */
    public static final int MONTHS_AHEAD = 3;

    /** The partitioned tables and their partition keys. */
    static final String[][] TABLES = {{"visit", "started_at"}, {"sighting", "captured_at"}};

    private MonthlyPartitions() {
    }

    /** Creates the missing partitions of this month and the next {@link #MONTHS_AHEAD}; returns how many. */
    public static int ensureAhead(DataSource dataSource, Clock clock, String caller) {
        YearMonth now = YearMonth.now(clock.withZone(java.time.ZoneOffset.UTC));
        return ensure(dataSource, now, now.plusMonths(MONTHS_AHEAD), caller);
    }

    /** Creates the missing monthly partitions from {@code from} to {@code to} (both included); returns how many. */
    public static int ensure(DataSource dataSource, YearMonth from, YearMonth to, String caller) {
        try (Connection c = dataSource.getConnection()) {
            if (!isPostgreSql(c)) {
                return 0;
            }
            int created = 0;
            for (String[] table : TABLES) {
                try (CallableStatement st = c.prepareCall("SELECT rva_ensure_month_partitions(?, ?, ?, ?)")) {
                    st.setString(1, table[0]);
                    st.setString(2, table[1]);
                    st.setDate(3, Date.valueOf(from.atDay(1)));
                    st.setDate(4, Date.valueOf(to.atDay(1)));
                    try (var rs = st.executeQuery()) {
                        rs.next();
                        int n = rs.getInt(1);
                        created += n;
                        if (n > 0) {
                            LOG.info(() -> caller + ": created " + n + " monthly partition(s) of " + table[0] + " for "
                                    + from + " .. " + to);
                        }
                    }
                }
            }
            int total = created;
            LOG.info(() -> caller + ": monthly partitions of visit and sighting present for " + from + " .. " + to
                    + " (" + total + " created now)");
            return created;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the monthly partitions " + from + " .. " + to
                    + " of visit and sighting: " + e.getMessage(), e);
        }
    }

    static boolean isPostgreSql(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
