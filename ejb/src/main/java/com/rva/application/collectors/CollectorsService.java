package com.rva.application.collectors;

import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.rva.application.health.CollectorHealthService;
import com.rva.application.security.CallerScopeService;
import com.rva.application.security.OutOfScopeException;
import com.rva.domain.CollectorAccount;
import com.rva.domain.CollectorHeartbeat;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * The store collectors for admins (the Collectors page and {@code GET /api/v1/collectors}): each collector account
 * with its credentials' dates, joined with the latest heartbeat its login sent, and heartbeats of no account.
 */
@Stateless
@TransactionAttribute(TransactionAttributeType.SUPPORTS)
public class CollectorsService {

    /** A collector whose latest heartbeat is older than this (5 heartbeat intervals by default) is stale. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(5);

    private final Clock clock = Clock.systemUTC();

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @EJB
    private CallerScopeService scopes;

    @EJB
    private CollectorHealthService health;

    /** By store, then login, then collector id; admins only. */
    public List<CollectorOverview> overview() {
        if (!scopes.current().allStores()) {
            throw new OutOfScopeException("Only an admin may see the store collectors");
        }
        LocalDateTime now = LocalDateTime.now(clock);
        Map<String, Map<String, Map<String, Long>>> gate = new TreeMap<>();
        for (CollectorHealthService.GateReject r : health.gateRejects()) {
            gate.computeIfAbsent(r.collectorId(), k -> new TreeMap<>())
                    .computeIfAbsent(r.camera(), k -> new LinkedHashMap<>()).put(r.reason(), r.rejects());
        }
        List<CollectorHeartbeat> beats = health.latest();
        Set<String> shown = new HashSet<>();
        List<CollectorOverview> rows = new ArrayList<>();
        for (CollectorAccount a : em.createNamedQuery(CollectorAccount.ALL, CollectorAccount.class).getResultList()) {
            boolean any = false;
            for (CollectorHeartbeat h : beats) {
                if (a.getUsername().equals(h.getSender())) {
                    rows.add(row(a, h, gate, now));
                    shown.add(h.getCollectorId());
                    any = true;
                }
            }
            if (!any) {
                rows.add(row(a, null, gate, now));
            }
        }
        for (CollectorHeartbeat h : beats) {
            if (!shown.contains(h.getCollectorId())) {
                rows.add(row(null, h, gate, now));
            }
        }
        rows.sort(Comparator.comparing(CollectorOverview::store)
                .thenComparing(r -> r.login() == null ? "" : r.login())
                .thenComparing(r -> r.collectorId() == null ? "" : r.collectorId()));
        return rows;
    }

    /** Every store's code, for choosing whose credentials to create. */
    public List<String> storeCodes() {
        return em.createQuery("SELECT s.code FROM Store s ORDER BY s.code", String.class).getResultList();
    }

    private static CollectorOverview row(CollectorAccount a, CollectorHeartbeat h,
            Map<String, Map<String, Map<String, Long>>> gate, LocalDateTime now) {
        String store = a != null ? a.getStore().getCode() : h.getStoreCode();
        if (h == null) {
            return new CollectorOverview(store, a.getUsername(), a.getCreatedAt(), a.getSecretSetAt(), null, null, null,
                    true, "no heartbeat", 0, 0, 0, 0, null, null, null, Map.of(), Map.of(), List.of());
        }
        JsonObject report = parse(h.getReport());
        Map<String, Long> rejects = new LinkedHashMap<>();
        if (report.get("rejects") instanceof JsonObject r) {
            r.forEach((reason, v) -> {
                if (v instanceof JsonNumber n) {
                    rejects.put(reason, n.longValue());
                }
            });
        }
        Map<String, Map<String, Long>> perCamera = gate.getOrDefault(h.getCollectorId(), Map.of());
        // a long report may have been cut off (then it is no JSON): the per-camera rows are always complete
        Map<String, Long> gateTotals = new LinkedHashMap<>();
        perCamera.values().forEach(reasons -> reasons.forEach((reason, n) -> gateTotals.merge(reason, n, Long::sum)));
        gateTotals.forEach(rejects::putIfAbsent);
        List<CollectorOverview.CameraState> cameras = new ArrayList<>();
        if (report.get("cameras") instanceof JsonArray list) {
            for (JsonValue v : list) {
                if (v instanceof JsonObject c) {
                    cameras.add(new CollectorOverview.CameraState(text(c, "id"), text(c, "status"), text(c, "lastError"),
                            text(c, "lastFrameAt")));
                }
            }
        }
        boolean stale = h.getSentAt() == null || h.getSentAt().isBefore(now.minus(STALE_AFTER));
        return new CollectorOverview(store, a == null ? h.getSender() : a.getUsername(),
                a == null ? null : a.getCreatedAt(), a == null ? null : a.getSecretSetAt(), h.getCollectorId(),
                h.getSentAt(), h.getReceivedAt(), stale, h.getStatus(), h.getFrames(), h.getFaces(), h.getBacklog(),
                h.getDropped(), h.getOldestUndelivered(), h.getCollectorVersion(), text(report, "detectorModel"),
                rejects, perCamera, cameras);
    }

    private static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json == null ? "{}" : json))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            // a report cut at its column's length is no longer JSON: the columns still hold the key figures
            return JsonValue.EMPTY_JSON_OBJECT;
        }
    }

    private static String text(JsonObject o, String name) {
        return o.get(name) instanceof JsonString s ? s.getString() : null;
    }
}
