package com.rva.infrastructure.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

/**
 * Brings the database schema up to date with Flyway when the application starts, before anything
 * else touches it. Beans that use the database at start-up declare {@code @DependsOn("SchemaMigrator")}.
 * With {@code -Drva.demo-data=true} it also loads the demo region, stores and cameras. With
 * {@code -Drva.setup-sql=DIR} it also applies the Flyway scripts in that folder (site data such as stores,
 * cameras and collector accounts; {@code ./rva simulate} registers its stores this way).
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());
    /** System property: a folder of extra Flyway scripts (repeatable {@code R__*.sql}) applied at start. */
    static final String SETUP_SQL = "rva.setup-sql";

    @Resource(lookup = "java:jboss/datasources/RvaDS")
    private DataSource dataSource;

    @PostConstruct
    void migrate() {
        String vendor = vendor(dataSource);
        List<String> locations = new ArrayList<>(List.of("classpath:db/migration/" + vendor));
        if (Boolean.getBoolean("rva.demo-data")) {
            locations.add("classpath:db/demo");
        }
        String setup = System.getProperty(SETUP_SQL);
        if (setup != null && !setup.isBlank()) {
            locations.add("filesystem:" + setup);
        }
        LOG.info(() -> "Migrating the " + vendor + " schema from " + locations);
        MigrateResult result = Flyway.configure(SchemaMigrator.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations.toArray(String[]::new))
                // JBeret creates its job-repository tables in the same schema when the server boots,
                // so the schema is never empty on first start: baseline at 0 so V1 onwards still run.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        LOG.info(() -> "Schema at version " + result.targetSchemaVersion + " (" + result.migrationsExecuted
                + " migrations applied now)");
        if ("postgresql".equals(vendor)) {
            MonthlyPartitions.ensureAhead(dataSource, Clock.systemUTC(), "start-up");
        }
    }

    static String vendor(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("h2")) {
                return "h2";
            }
            if (product.contains("postgres")) {
                return "postgresql";
            }
            if (product.contains("oracle")) {
                return "oracle";
            }
            throw new IllegalStateException("Unsupported database '" + product
                    + "': Retail Visitor Analytics runs on H2, PostgreSQL or Oracle");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database behind java:jboss/datasources/RvaDS", e);
        }
    }
}
