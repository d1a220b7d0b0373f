package com.rva.application.ingest;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

import com.rva.recognition.Gallery;

/**
 * Brings a gallery in step with the database for some templates (a {@link GalleryChange} heard from another node):
 * each named template leaves the gallery and joins it again as the database has it now — with its current customer
 * — unless the database no longer has it or it is of another model version. Idempotent, so changes may arrive
 * twice or out of order. Plain Java over the public {@link Gallery} interface.
 */
public final class TemplateReload {

    private static final Logger LOG = Logger.getLogger(TemplateReload.class.getName());

    /** A template row as the database has it. */
    public record Stored(long templateId, long customerId, String modelVersion, float[] vector) {
    }

    /**
     * What one reload did.
     *
     * @param added templates the gallery did not hold and now does
     * @param updated templates it held and holds again (perhaps for another customer)
     * @param removed templates it held and the database no longer has (or has for another model version)
     * @param absent templates neither held nor in the database: nothing to do
     * @param invalid rows that could not join the gallery (a vector of the wrong length): logged
     */
    public record Outcome(int added, int updated, int removed, int absent, int invalid) {

        public int templates() {
            return added + updated + removed + absent + invalid;
        }
    }

    private TemplateReload() {
    }

    /**
     * @param modelVersion the version the gallery searches; rows of other versions are not loaded
     * @param ids the templates that changed
     * @param rows those of them the database has now (any others are ignored)
     */
    public static Outcome apply(Gallery gallery, String modelVersion, Collection<Long> ids, Collection<Stored> rows) {
        Map<Long, Stored> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.templateId(), r));
        int added = 0;
        int updated = 0;
        int removed = 0;
        int absent = 0;
        int invalid = 0;
        for (Long id : new java.util.LinkedHashSet<>(ids)) {
            boolean held = gallery.remove(id);
            Stored row = byId.get(id);
            if (row == null || !modelVersion.equals(row.modelVersion())) {
                if (held) {
                    removed++;
                } else {
                    absent++;
                }
                continue;
            }
            try {
                gallery.add(row.customerId(), id, row.vector(), modelVersion);
            } catch (IllegalArgumentException e) {
                invalid++;
                LOG.warning(() -> "Template " + id + " cannot join the gallery: " + e.getMessage());
                continue;
            }
            if (held) {
                updated++;
            } else {
                added++;
            }
        }
        return new Outcome(added, updated, removed, absent, invalid);
    }
}
