package com.rva.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.YearMonth;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of {@code ./rva bench portal} that need no server, on a small generated chain: the portal users and
 * their scopes, the bare-SQL baseline, percentiles and the page figure it checks. The whole command (WildFly on
 * the generated database) is run by hand: its server start alone exceeds what CI may spend on it.
 */
class PortalBenchTest {

    @TempDir
    Path state;

    @Test
    void usersScopesAndBaselineOnAGeneratedChain() throws Exception {
        BenchMain.generate(List.of("--visits", "3000", "--stores", "12", "--regions", "3", "--days", "70",
                "--customers", "500", "--state-dir", state.toString()));
        try (PgTarget pg = PgTarget.open(new Options(List.of("--state-dir", state.toString()), Set.of("state-dir")));
                Connection c = pg.connect()) {
            List<PortalBench.Role> roles = PortalBench.setUpUsers(c, "bench-secret");
            // twice: a second run of the bench updates the same users
            roles = PortalBench.setUpUsers(c, "bench-secret");
            assertEquals(3, roles.size());
            assertEquals(null, roles.get(0).storeIds(), "the admin sees every store");
            assertEquals(4, roles.get(1).storeIds().size(), "12 stores dealt to 3 regions");
            assertEquals(List.of(roles.get(1).storeIds().get(0)), roles.get(2).storeIds());
            try (PreparedStatement ps = c.prepareStatement("SELECT u.password_hash, r.role_name FROM app_user u"
                    + " JOIN app_user_role r ON r.username = u.username WHERE u.username = ?")) {
                ps.setString(1, PortalBench.REGIONAL_USER);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertTrue(verifies(rs.getString(1), "bench-secret"), "the identity store's hash form");
                    assertTrue(!verifies(rs.getString(1), "other"));
                    assertEquals("REGIONAL_MANAGER", rs.getString(2));
                    assertTrue(!rs.next(), "one role");
                }
            }
            YearMonth month = PortalBench.lastFullMonth(c);
            long all = PortalBench.BareSql.visits(c, month, null);
            long region = PortalBench.BareSql.visits(c, month, roles.get(1).storeIds());
            long store = PortalBench.BareSql.visits(c, month, roles.get(2).storeIds());
            assertTrue(all > region && region > store && store > 0, all + " > " + region + " > " + store);
            for (PortalBench.Role role : roles) {
                PortalBench.BareSql.dashboard(c, month, role.storeIds());
                PortalBench.BareSql.customers(c, month, role.storeIds());
            }
        }
    }

    /** As Soteria's Pbkdf2PasswordHash verifies: {@code algorithm:iterations:salt:hash}. */
    private static boolean verifies(String stored, String password) throws Exception {
        String[] p = stored.split(":");
        byte[] salt = Base64.getDecoder().decode(p[2]);
        byte[] hash = Base64.getDecoder().decode(p[3]);
        byte[] again = SecretKeyFactory.getInstance(p[0])
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, Integer.parseInt(p[1]), hash.length * 8))
                .getEncoded();
        return java.util.Arrays.equals(hash, again);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] ms = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
        assertEquals(5, PortalBench.percentile(ms, 0.5));
        assertEquals(10, PortalBench.percentile(ms, 0.95));
        assertEquals(10, PortalBench.percentile(ms, 1));
        assertEquals(1, PortalBench.percentile(ms, 0));
        assertArrayEquals(new double[] {5, 1, 4, 2, 3, 10, 9, 8, 7, 6}, ms, "the input is left as it was");
    }

    @Test
    void diagnosticsOptions() {
        Options o = new Options(List.of("--timing", "true", "--jfr=false"), java.util.Set.of("timing", "jfr", "roles"));
        assertTrue(BenchMain.flag(o, "timing"));
        assertFalse(BenchMain.flag(o, "jfr"));
        assertFalse(BenchMain.flag(o, "roles"), "absent: false");
        assertThrows(IllegalArgumentException.class, () -> BenchMain.flag(
                new Options(List.of("--timing", "yes"), java.util.Set.of("timing")), "timing"));
        PortalBench.Role admin = new PortalBench.Role("admin/all", "a", "ADMIN", null);
        PortalBench.Role store = new PortalBench.Role("store/gen_s0001", "s", "STORE_MANAGER", List.of(1L));
        PortalBench.Diagnostics some = new PortalBench.Diagnostics(true, false, List.of("admin", "regional"));
        assertTrue(some.wants(admin));
        assertFalse(some.wants(store));
        assertTrue(PortalBench.Diagnostics.NONE.wants(store), "no --roles: every role");
        assertEquals(List.of("-Drva.portal.timing=true"), some.serverProperties(), "the server's default merge parts");
        assertEquals(List.of("-Drva.portal.timing=false", "-Drva.portal.merge-threads=1"),
                new PortalBench.Diagnostics(false, false, List.of(), 1).serverProperties());
    }

    @Test
    void readsTheDashboardFigure() {
        assertEquals(1234, PortalBench.kpi("<span id=\"kpi-visits\" class=\"rva-kpi-value\">1234</span>", "kpi-visits"));
        assertThrows(IllegalStateException.class, () -> PortalBench.kpi("<span id=\"kpi-visits\"></span>", "kpi-visits"));
    }

    @Test
    void portalCommandNamesWhatIsMissing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchMain.portal(List.of("--ear", "x.ear")));
        assertTrue(e.getMessage().contains("--wildfly-home"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BenchMain.portal(List.of("--wildfly-home", "w", "--ear", "e",
                "--postgresql-cli", "p", "--month", "October")));
        assertTrue(e.getMessage().contains("--month"), e.getMessage());
    }
}
