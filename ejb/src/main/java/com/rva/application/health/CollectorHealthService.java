package com.rva.application.health;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import com.rva.application.ingest.CameraDirectory;
import com.rva.domain.CollectorHeartbeat;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.json.Json;
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
        return Outcome.RECORDED;
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
