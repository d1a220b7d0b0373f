package com.rva.eval;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.rva.application.ingest.EnrolmentCoordinator;
import com.rva.recognition.Consolidation;
import com.rva.recognition.ExactScanGallery;
import com.rva.recognition.MergeRule;
import com.rva.recognition.TemplatePolicy;
import com.rva.recognition.TemplateSet;

/**
 * The server's recognition in one process, over embedded photos: an empty gallery, match-or-enrol through
 * the server's {@link EnrolmentCoordinator} (each photo its own committed transaction), the
 * {@link TemplatePolicy} for the templates a customer keeps, then the nightly {@link Consolidation}.
 */
public final class Evaluation {

    /** The settings under test (the product's defaults unless told otherwise). */
    public record Settings(double matchThreshold, int templatesPerCustomer, double mergeFloor) {
    }

    /** Customer of every embedded photo, online and after consolidation, in the order of {@code faces}. */
    public record Result(List<PhotoPipeline.Outcome> faces, List<Long> online, List<Long> consolidated,
            List<Consolidation.Merge> merges) {
    }

    private record Template(long id, float[] vector, float quality) {
    }

    private Evaluation() {
    }

    /**
     * @param faces embedded photos (none skipped), in arrival order
     */
    public static Result run(List<PhotoPipeline.Outcome> faces, String modelVersion, Settings settings) {
        ExactScanGallery gallery = new ExactScanGallery();
        EnrolmentCoordinator coordinator = new EnrolmentCoordinator(gallery, Duration.ofSeconds(1));
        TemplatePolicy policy = new TemplatePolicy(settings.templatesPerCustomer());
        Map<Long, List<Template>> templates = new LinkedHashMap<>();
        long[] ids = {0};
        List<Long> online = new ArrayList<>();
        for (PhotoPipeline.Outcome face : faces) {
            Object tx = new Object();
            float[] vector = face.embedding();
            EnrolmentCoordinator.Decision decision = coordinator.matchOrEnrol(vector, modelVersion,
                    settings.matchThreshold(), tx, () -> {
                        long customer = ++ids[0];
                        long template = ++ids[0];
                        templates.put(customer, new ArrayList<>(List.of(new Template(template, vector, face.quality()))));
                        return new EnrolmentCoordinator.Enrolment(customer, template);
                    });
            coordinator.completed(tx, true);
            if (!decision.enrolled()) {
                List<Template> kept = templates.get(decision.customerId());
                TemplatePolicy.Decision keep = policy.onAttach(
                        kept.stream().map(t -> new TemplatePolicy.Kept(t.id(), t.quality())).toList(), face.quality());
                if (keep.keep()) {
                    keep.replaces().ifPresent(old -> {
                        gallery.remove(old);
                        kept.removeIf(t -> t.id() == old);
                    });
                    long template = ++ids[0];
                    kept.add(new Template(template, vector, face.quality()));
                    gallery.add(decision.customerId(), template, vector, modelVersion);
                }
            }
            online.add(decision.customerId());
        }

        List<TemplateSet> sets = new ArrayList<>();
        templates.forEach((customer, kept) -> sets.add(new TemplateSet(customer,
                kept.stream().map(Template::vector).toList())));
        List<Consolidation.Merge> merges = Consolidation.plan(sets,
                new MergeRule(settings.matchThreshold(), settings.mergeFloor()));
        Map<Long, Long> into = new HashMap<>();
        for (Consolidation.Merge m : merges) {
            into.put(m.absorbed(), m.survivor());
        }
        List<Long> consolidated = new ArrayList<>();
        for (Long customer : online) {
            long c = customer;
            while (into.containsKey(c)) {
                c = into.get(c);
            }
            consolidated.add(c);
        }
        return new Result(faces, online, consolidated, merges);
    }

    /** The photos in a fixed pseudo-random order: visitors arrive mixed, not one person after another. */
    public static <T> List<T> arrivalOrder(List<T> items, long seed) {
        List<T> order = new ArrayList<>(items);
        Collections.shuffle(order, new Random(seed));
        return order;
    }
}
