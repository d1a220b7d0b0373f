package com.rva.application.ingest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Templates whose place in the gallery changed in one committed transaction: added (an enrolment, a template kept),
 * replaced, moved to another customer (a merge or its undo) or deleted (retention-purge, an erasure). It names the
 * templates only: the database is the source of truth, so a node that hears of a change reloads those rows (a row
 * that is gone leaves its gallery, one that is there joins it or moves). This makes a change idempotent and the
 * order of changes irrelevant. On the topic {@code rva.gallery} the ids travel as the text body, comma-separated.
 *
 * @param reason what happened, for the log (the receiver does the same whatever the reason)
 * @param templateIds distinct template ids, in the order given
 */
public record GalleryChange(Reason reason, List<Long> templateIds) {

    /** Most ids one message may carry (a retention-purge batch is 5,000 by default). */
    public static final int MAX_IDS = 100_000;

    public enum Reason {
        /** A new customer's first template. */
        ENROLLED,
        /** A template kept for a known customer, with the one it replaced (K best per customer). */
        TEMPLATE_KEPT,
        /** Templates moved to another customer: a merge or its undo. */
        MOVED,
        /** Templates deleted by retention-purge. */
        PURGED,
        /** Templates deleted with an erased customer. */
        ERASED,
        /** Several changes sent in one message. */
        BATCH
    }

    public GalleryChange {
        Objects.requireNonNull(reason, "reason");
        Set<Long> distinct = new LinkedHashSet<>();
        for (Long id : Objects.requireNonNull(templateIds, "templateIds")) {
            distinct.add(Objects.requireNonNull(id, "a template id"));
        }
        if (distinct.isEmpty() || distinct.size() > MAX_IDS) {
            throw new IllegalArgumentException("A gallery change names 1 to " + MAX_IDS + " templates, not "
                    + distinct.size());
        }
        templateIds = List.copyOf(distinct);
    }

    public static GalleryChange of(Reason reason, List<Long> templateIds) {
        return new GalleryChange(reason, templateIds);
    }

    /** The message body: the ids, comma-separated. */
    public String body() {
        return templateIds.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /**
     * Reads a change from a message's reason property and body.
     *
     * @throws IllegalArgumentException with a readable reason for anything that is not a well-formed change
     */
    public static GalleryChange parse(String reason, String body) {
        Reason r;
        try {
            r = Reason.valueOf(reason == null ? "" : reason.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown reason '" + shorten(reason) + "'");
        }
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("no template ids");
        }
        List<Long> ids = new ArrayList<>();
        int from = 0;
        while (from <= body.length()) {
            int comma = body.indexOf(',', from);
            int to = comma < 0 ? body.length() : comma;
            String token = body.substring(from, to).strip();
            long id;
            try {
                id = Long.parseLong(token);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + shorten(token) + "' is not a template id");
            }
            if (id <= 0) {
                throw new IllegalArgumentException(id + " is not a template id (ids are positive)");
            }
            ids.add(id);
            if (ids.size() > MAX_IDS) {
                throw new IllegalArgumentException("more than " + MAX_IDS + " template ids");
            }
            if (comma < 0) {
                break;
            }
            from = comma + 1;
        }
        return new GalleryChange(r, ids);
    }

    private static String shorten(String s) {
        String v = String.valueOf(s);
        return v.length() <= 40 ? v : v.substring(0, 40) + "…";
    }
}
