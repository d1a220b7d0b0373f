package com.rva.application.admin;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

import com.rva.application.audit.AuditService;
import com.rva.application.ingest.CatalogCache;
import com.rva.application.security.CallerScopeService;
import com.rva.application.security.OutOfScopeException;
import com.rva.domain.Camera;
import com.rva.domain.Region;
import com.rva.domain.Store;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Admin: regions, stores (with region and time zone, deactivation) and cameras (source, interval, enabled).
 * Every change is validated here, whoever calls, and written to the audit log with what changed; a camera's
 * password never reaches the log, and a password inside a URL is masked there.
 */
@Stateless
public class CatalogAdminService {

    /** A region as the admin page lists it. */
    public record RegionRow(String code, String name, long stores) {
    }

    /** A store as the admin page lists it. */
    public record StoreRow(String code, String name, String region, String timeZone, boolean active, long cameras) {
    }

    /** A camera as the admin page lists it: the URL masked, the password only as "set or not". */
    public record CameraRow(String store, String code, String name, String sourceType, String sourceUrl,
            String sourceUser, boolean passwordSet, int intervalSeconds, boolean enabled) {
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @EJB
    CallerScopeService scopes;

    @EJB
    AuditService audit;

    @EJB
    CatalogCache catalog;

    public List<RegionRow> regions() {
        requireAdmin();
        return em.createQuery("SELECT r.code, r.name, (SELECT COUNT(s) FROM Store s WHERE s.region = r) FROM Region r"
                + " ORDER BY r.code", Object[].class).getResultList().stream()
                .map(r -> new RegionRow((String) r[0], (String) r[1], ((Number) r[2]).longValue())).toList();
    }

    /** Creates a region or renames an existing one. */
    public void saveRegion(String code, String name) {
        requireAdmin();
        String c = AdminInput.code("Region code", code);
        String n = AdminInput.text("Region name", name, 200);
        Region region = region(c);
        if (region == null) {
            em.persist(new Region(c, n));
            audit.record(AuditService.CATALOG_CHANGE, "created region " + c + " '" + n + "'");
        } else if (!region.getName().equals(n)) {
            audit.record(AuditService.CATALOG_CHANGE, "renamed region " + c + " '" + region.getName() + "' -> '" + n + "'");
            region.setName(n);
        }
    }

    public long storeCount(String regionCode) {
        requireAdmin();
        var q = em.createQuery("SELECT COUNT(s) FROM Store s" + (regionCode == null ? "" : " WHERE s.region.code = :r"),
                Long.class);
        if (regionCode != null) {
            q.setParameter("r", regionCode);
        }
        return q.getSingleResult();
    }

    /** A page of stores by code, optionally of one region. */
    public List<StoreRow> stores(String regionCode, int first, int max) {
        requireAdmin();
        var q = em.createQuery("SELECT s.code, s.name, s.region.code, s.timeZone, s.active,"
                + " (SELECT COUNT(c) FROM Camera c WHERE c.store = s) FROM Store s"
                + (regionCode == null ? "" : " WHERE s.region.code = :r") + " ORDER BY s.code", Object[].class);
        if (regionCode != null) {
            q.setParameter("r", regionCode);
        }
        return q.setFirstResult(Math.max(first, 0)).setMaxResults(Math.max(1, Math.min(max, 1000))).getResultList()
                .stream().map(r -> new StoreRow((String) r[0], (String) r[1], (String) r[2], (String) r[3],
                        (Boolean) r[4], ((Number) r[5]).longValue())).toList();
    }

    /** Creates a store or changes one (name, region, time zone, active). */
    public void saveStore(String code, String name, String regionCode, String timeZone, boolean active) {
        requireAdmin();
        String c = AdminInput.code("Store code", code);
        String n = AdminInput.text("Store name", name, 200);
        Region region = region(AdminInput.code("Region", regionCode));
        if (region == null) {
            throw new InvalidInputException("No region '" + regionCode + "'");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone == null ? "" : timeZone.strip());
        } catch (DateTimeException e) {
            throw new InvalidInputException("'" + AdminInput.shorten(String.valueOf(timeZone))
                    + "' is not a time zone (e.g. Europe/Berlin)");
        }
        Store store = store(c);
        if (store == null) {
            Store created = new Store(c, n, region, zone);
            created.change(n, region, zone, active);
            em.persist(created);
            audit.record(AuditService.CATALOG_CHANGE, "created store " + c + " '" + n + "' in region " + region.getCode()
                    + ", " + zone + (active ? "" : ", inactive"));
            return;
        }
        StringBuilder what = new StringBuilder();
        diff(what, "name", store.getName(), n);
        diff(what, "region", store.getRegion().getCode(), region.getCode());
        diff(what, "time zone", store.getZoneId().getId(), zone.getId());
        diff(what, "active", String.valueOf(store.isActive()), String.valueOf(active));
        if (what.length() > 0) {
            store.change(n, region, zone, active);
            catalog.invalidate(); // ingest validates crops from it
            audit.record(AuditService.CATALOG_CHANGE, "changed store " + c + ":" + what);
        }
    }

    /** Deactivates (its crops are refused, its history stays) or reactivates a store. */
    public void setStoreActive(String code, boolean active) {
        requireAdmin();
        Store store = store(AdminInput.code("Store code", code));
        if (store == null) {
            throw new InvalidInputException("No store '" + code + "'");
        }
        if (store.isActive() != active) {
            store.change(store.getName(), store.getRegion(), store.getZoneId(), active);
            catalog.invalidate(); // a deactivated store's crops are refused from the next one on
            audit.record(AuditService.CATALOG_CHANGE, (active ? "reactivated" : "deactivated") + " store " + store.getCode());
        }
    }

    public long cameraCount(String storeCode) {
        requireAdmin();
        return em.createQuery("SELECT COUNT(c) FROM Camera c WHERE c.store.code = :s", Long.class)
                .setParameter("s", storeCode).getSingleResult();
    }

    /** A page of one store's cameras by code. */
    public List<CameraRow> cameras(String storeCode, int first, int max) {
        requireAdmin();
        return em.createQuery("SELECT c FROM Camera c WHERE c.store.code = :s ORDER BY c.code", Camera.class)
                .setParameter("s", storeCode).setFirstResult(Math.max(first, 0))
                .setMaxResults(Math.max(1, Math.min(max, 1000))).getResultList().stream()
                .map(c -> new CameraRow(storeCode, c.getCode(), c.getName(), c.getSourceType(),
                        CameraSources.mask(c.getSourceUrl()), c.getSourceUser(), c.getSourcePassword() != null,
                        c.getIntervalSeconds(), c.isEnabled())).toList();
    }

    /**
     * Registers a camera in a store or changes one. A blank password keeps the stored one; {@code clearPassword}
     * removes it.
     */
    public void saveCamera(String storeCode, String code, String name, String sourceType, String sourceUrl,
            String sourceUser, String password, boolean clearPassword, String intervalSeconds, boolean enabled) {
        requireAdmin();
        Store store = store(AdminInput.code("Store", storeCode));
        if (store == null) {
            throw new InvalidInputException("No store '" + storeCode + "'");
        }
        String c = AdminInput.code("Camera code", code);
        String n = AdminInput.text("Camera name", name, 200);
        String type = CameraSources.type(sourceType);
        Camera camera = em.createNamedQuery(Camera.BY_STORE_AND_CODE, Camera.class).setParameter("store", store)
                .setParameter("code", c).getResultStream().findFirst().orElse(null);
        String url = CameraSources.url(type, sourceUrl, camera == null ? null : camera.getSourceUrl());
        String user = AdminInput.optionalText("Source user", sourceUser, 200);
        String newPassword = clearPassword ? "" : password == null || password.isEmpty() ? null : password;
        if (newPassword != null && newPassword.length() > 200) {
            throw new InvalidInputException("Source password has at most 200 characters");
        }
        int interval = AdminInput.whole("Interval (seconds)", intervalSeconds, 1, 3600);
        if (camera == null) {
            camera = new Camera(store, c, n);
            camera.change(n, type, url, user, newPassword, interval, enabled);
            em.persist(camera);
            audit.record(AuditService.CATALOG_CHANGE, "created camera " + store.getCode() + "/" + c + " '" + n + "' "
                    + type + " " + CameraSources.mask(url) + " every " + interval + " s" + (enabled ? "" : ", disabled")
                    + (newPassword != null && !newPassword.isEmpty() ? ", password set" : ""));
            return;
        }
        StringBuilder what = new StringBuilder();
        diff(what, "name", camera.getName(), n);
        diff(what, "type", camera.getSourceType(), type);
        diff(what, "url", CameraSources.mask(camera.getSourceUrl()), CameraSources.mask(url));
        diff(what, "user", camera.getSourceUser(), user);
        diff(what, "interval", String.valueOf(camera.getIntervalSeconds()), String.valueOf(interval));
        diff(what, "enabled", String.valueOf(camera.isEnabled()), String.valueOf(enabled));
        if (newPassword != null) {
            what.append(newPassword.isEmpty() ? " password removed;" : " password changed;");
        }
        camera.change(n, type, url, user, newPassword, interval, enabled);
        if (what.length() > 0) {
            audit.record(AuditService.CATALOG_CHANGE, "changed camera " + store.getCode() + "/" + c + ":" + what);
        }
    }

    private static void diff(StringBuilder what, String field, String before, String after) {
        if (!Objects.equals(before, after)) {
            what.append(' ').append(field).append(" '").append(before).append("' -> '").append(after).append("';");
        }
    }

    private Region region(String code) {
        return em.createQuery("SELECT r FROM Region r WHERE r.code = :c", Region.class).setParameter("c", code)
                .getResultStream().findFirst().orElse(null);
    }

    private Store store(String code) {
        return em.createNamedQuery(Store.BY_CODE, Store.class).setParameter("code", code).getResultStream().findFirst()
                .orElse(null);
    }

    private void requireAdmin() {
        if (!scopes.current().allStores()) {
            throw new OutOfScopeException("Only an admin may change regions, stores and cameras");
        }
    }
}
