package com.rva.application.health;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.Optional;
import java.util.logging.Logger;

import com.rva.application.ingest.CameraDirectory;
import com.rva.domain.CollectorHeartbeat;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

/**
 * Keeps the latest heartbeat of each collector (DESIGN §5: heartbeats go to {@code rva.heartbeats}). A heartbeat
 * older than the one kept (the outbox forwards a backlog of them after an outage) does not replace it. A heartbeat
 * whose authenticated sender is not a collector of the store it names is ignored, as crops are rejected.
 */
@Stateless
public class CollectorHealthService {

    private static final Logger LOG = Logger.getLogger(CollectorHealthService.class.getName());
    /** A quality-gate reason as the collector names it (TOO_SMALL, LOW_SCORE, BLURRY, NOT_FRONTAL, ...). */
    private static final Pattern REASON = Pattern.compile("[A-Z][A-Z_]{0,19}");

    /** What became of one heartbeat. */
    public enum Outcome {
        RECORDED, OLDER_THAN_KEPT, INVALID, WRONG_SENDER
    }

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @EJB
    private CameraDirectory directory;

    public Outcome record(String json, String sender, Instant receivedAt) {
        JsonObject o;
        try (JsonReader reader = Json.createReader(new StringReader(json == null ? "" : json))) {
            o = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            LOG.warning(() -> "Ignoring a heartbeat that is not a JSON object: " + e.getMessage());
            return Outcome.INVALID;
        }
        String collectorId = text(o, "collectorId");
        String store = text(o, "storeId");
        Instant sentAt = instant(o, "sentAt");
        if (collectorId == null || collectorId.length() > 100 || store == null || store.length() > 64
                || sentAt == null) {
            LOG.warning(() -> "Ignoring a heartbeat without a valid collectorId, storeId or sentAt: " + abbreviate(json));
            return Outcome.INVALID;
        }
        if (sender != null) {
            Optional<String> own = directory.storeOfCollector(sender);
            if (own.isEmpty() || !own.get().equals(store)) {
                LOG.warning(() -> "Ignoring a heartbeat of " + collectorId + " for store " + store + " sent by '" + sender
                        + "', a collector of " + own.orElse("no store"));
                return Outcome.WRONG_SENDER;
            }
        }
        CollectorHeartbeat kept = em.find(CollectorHeartbeat.class, collectorId, LockModeType.PESSIMISTIC_WRITE);
        LocalDateTime sent = utc(sentAt);
        if (kept != null && kept.getSentAt() != null && !sent.isAfter(kept.getSentAt())) {
            return Outcome.OLDER_THAN_KEPT;
        }
        if (kept == null) {
            kept = new CollectorHeartbeat(collectorId);
            em.persist(kept);
        }
        Instant oldest = instant(o, "oldestUndelivered");
        kept.update(store, sender, sent, utc(receivedAt), orDefault(text(o, "status"), "unknown"), number(o, "frames"),
                number(o, "faces"), number(o, "backlog"), number(o, "dropped"), oldest == null ? null : utc(oldest),
                text(o, "collectorVersion"), json);
        replaceGateRejects(collectorId, o);
        return Outcome.RECORDED;
    }

    /** One camera's quality-gate rejections for one reason, as a collector's latest heartbeat reported them. */
    public record GateReject(String collectorId, String camera, String reason, long rejects) {
    }

    /** The quality-gate rejections of every collector's latest heartbeat, per camera and reason. */
    public List<GateReject> gateRejects() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT collector_id, camera, reason, rejects FROM collector_gate_reject"
                + " ORDER BY collector_id, camera, reason").getResultList();
        return rows.stream().map(r -> new GateReject((String) r[0], (String) r[1], (String) r[2],
                ((Number) r[3]).longValue())).toList();
    }

    /**
     * Keeps the heartbeat's per-camera quality-gate rejections ({@code cameras[].gateRejects}: reason → count) in
     * {@code collector_gate_reject}, replacing the previous heartbeat's. Entries that are not a camera id with
     * reason names and whole counts are skipped (with a warning), never the heartbeat.
     */
    private void replaceGateRejects(String collectorId, JsonObject o) {
        em.flush();
        em.createNativeQuery("DELETE FROM collector_gate_reject WHERE collector_id = ?1").setParameter(1, collectorId)
                .executeUpdate();
        JsonValue cameras = o.get("cameras");
        if (!(cameras instanceof JsonArray list)) {
            return;
        }
        Set<String> seen = new HashSet<>();
        int skipped = 0;
        for (JsonValue c : list) {
            if (!(c instanceof JsonObject camera) || !(camera.get("gateRejects") instanceof JsonObject rejects)) {
                continue;
            }
            String id = text(camera, "id");
            if (id == null || id.isEmpty() || id.length() > 100) {
                skipped++;
                continue;
            }
            for (Map.Entry<String, JsonValue> e : rejects.entrySet()) {
                if (!REASON.matcher(e.getKey()).matches() || !(e.getValue() instanceof JsonNumber n)
                        || !n.isIntegral() || n.longValue() < 0 || !seen.add(id + '\n' + e.getKey())) {
                    skipped++;
                    continue;
                }
                em.createNativeQuery("INSERT INTO collector_gate_reject (collector_id, camera, reason, rejects)"
                        + " VALUES (?1, ?2, ?3, ?4)").setParameter(1, collectorId).setParameter(2, id)
                        .setParameter(3, e.getKey()).setParameter(4, n.longValue()).executeUpdate();
            }
        }
        if (skipped > 0) {
            int n = skipped;
            LOG.warning(() -> "Heartbeat of " + collectorId + ": skipped " + n + " malformed gate rejection entr"
                    + (n == 1 ? "y" : "ies"));
        }
    }

    /** The latest heartbeat of every collector, by store. */
    public List<CollectorHeartbeat> latest() {
        return em.createNamedQuery(CollectorHeartbeat.ALL, CollectorHeartbeat.class).getResultList();
    }

    private static String text(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonString s ? s.getString() : null;
    }

    private static long number(JsonObject o, String name) {
        JsonValue v = o.get(name);
        return v instanceof JsonNumber n ? Math.max(0, n.longValue()) : 0;
    }

    private static Instant instant(JsonObject o, String name) {
        String s = text(o, name);
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static String orDefault(String s, String def) {
        return s == null || s.length() > 20 ? def : s;
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
