package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.rva.recognition.ExactScanGallery;
import com.rva.recognition.Gallery;
import com.rva.recognition.Match;
import com.rva.recognition.SwitchingGallery;
import com.rva.recognition.Vectors;

/**
 * Two nodes over one "database": node A changes templates and applies them to its gallery as it commits, node B
 * hears only the template ids and reloads them ({@link TemplateReload}). After every step both galleries must give
 * the same answers.
 */
class TemplateReloadTest {

    private static final String MODEL = "m1";
    private static final int DIM = 32;

    private final Random random = new Random(7);
    /** The database: template id → row. */
    private final Map<Long, TemplateReload.Stored> db = new TreeMap<>();

    @Test
    void aNodeThatReloadsTheNamedTemplatesFollowsEnrolmentsMovesAndDeletes() {
        check(new ExactScanGallery(), new ExactScanGallery());
    }

    @Test
    void theSameOverTheAnnIndex() {
        // gallery.ann-from = 3: both nodes switch to HNSW early, so removes are masks and re-adds new graph nodes
        check(new SwitchingGallery(3), new SwitchingGallery(3));
    }

    private void check(Gallery a, Gallery b) {
        // enrolments on A: customers 1..4 with one template each (ids 11..14)
        for (long c = 1; c <= 4; c++) {
            float[] v = unit();
            long id = 10 + c;
            db.put(id, new TemplateReload.Stored(id, c, MODEL, v));
            a.add(c, id, v, MODEL);
            assertEquals(new TemplateReload.Outcome(1, 0, 0, 0, 0), reload(b, List.of(id)));
        }
        same(a, b);

        // a kept template replaces another (template 15 for customer 2 replaces 12)
        float[] v15 = unit();
        db.put(15L, new TemplateReload.Stored(15, 2, MODEL, v15));
        db.remove(12L);
        a.add(2, 15L, v15, MODEL);
        a.remove(12L);
        assertEquals(new TemplateReload.Outcome(1, 0, 1, 0, 0), reload(b, List.of(15L, 12L)));
        same(a, b);

        // a merge moves customer 3's template to customer 1; told twice, and in the reverse order with the delete below
        db.put(13L, new TemplateReload.Stored(13, 1, MODEL, db.get(13L).vector()));
        a.remove(13L);
        a.add(1, 13L, db.get(13L).vector(), MODEL);
        // purge deletes template 14
        db.remove(14L);
        a.remove(14L);
        assertEquals(new TemplateReload.Outcome(0, 0, 1, 0, 0), reload(b, List.of(14L)));
        assertEquals(new TemplateReload.Outcome(0, 1, 0, 0, 0), reload(b, List.of(13L)));
        assertEquals(new TemplateReload.Outcome(0, 1, 0, 0, 0), reload(b, List.of(13L)), "a second delivery changes nothing");
        assertEquals(new TemplateReload.Outcome(0, 0, 0, 1, 0), reload(b, List.of(14L)), "nor does a late delete");
        same(a, b);
        assertEquals(1L, b.bestMatch(db.get(13L).vector(), MODEL).orElseThrow().customerId(), "B sees the merge");

        // a template of another model version is never searched; one of the wrong length is counted, not loaded
        db.put(16L, new TemplateReload.Stored(16, 4, "m2", unit()));
        db.put(17L, new TemplateReload.Stored(17, 4, MODEL, new float[DIM + 1]));
        assertEquals(new TemplateReload.Outcome(0, 0, 0, 1, 1), reload(b, List.of(16L, 17L)));
        // an id the database never had (e.g. an enrolment that was rolled back after all) is ignored
        assertEquals(new TemplateReload.Outcome(0, 0, 0, 1, 0), reload(b, List.of(99L)));
        same(a, b);
        assertEquals(a.size(), b.size());
        assertEquals(3, b.size());
    }

    private TemplateReload.Outcome reload(Gallery gallery, List<Long> ids) {
        List<TemplateReload.Stored> rows = new ArrayList<>();
        ids.forEach(id -> {
            if (db.containsKey(id)) {
                rows.add(db.get(id));
            }
        });
        return TemplateReload.apply(gallery, MODEL, ids, rows);
    }

    /** Every stored template's vector finds the same template and customer on both nodes; deleted ones nowhere. */
    private void same(Gallery a, Gallery b) {
        for (TemplateReload.Stored row : db.values()) {
            if (!MODEL.equals(row.modelVersion()) || row.vector().length != DIM) {
                continue;
            }
            Match ma = a.bestMatch(row.vector(), MODEL).orElseThrow();
            Match mb = b.bestMatch(row.vector(), MODEL).orElseThrow();
            assertEquals(row.templateId(), ma.templateId());
            assertEquals(ma.templateId(), mb.templateId(), "template " + row.templateId());
            assertEquals(ma.customerId(), mb.customerId(), "customer of template " + row.templateId());
            assertEquals(row.customerId(), mb.customerId());
        }
        assertEquals(a.size(), b.size());
        assertTrue(b.size() <= db.size());
    }

    private float[] unit() {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalised(v);
    }
}
