package com.rva.eval;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.rva.application.settings.Setting;
import com.rva.collector.vision.FaceCropper;
import com.rva.collector.vision.QualityGate;
import com.rva.recognition.Consolidation;
import com.rva.recognition.OnnxEmbedder;

/**
 * {@code ./rva eval DIR}: the product's recognition pipeline with its shipped defaults over a labelled folder
 * {@code DIR/<identity>/<photo>}, from an empty gallery. Prints customer ids per identity, customers holding
 * several people, skipped photos and why, BCubed scores online and after the nightly consolidation, and as
 * its last line {@code EVAL bcubed_f1=… precision=… recall=… customers=N identities=N photos=N skipped=N
 * online_f1=…} (after consolidation; {@code photos} counts every labelled photo, scores cover those not
 * skipped).
 */
public final class EvalMain {

    static final long DEFAULT_SEED = 1;

    private EvalMain() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("rva eval: " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("rva eval failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Path dir = null;
        long seed = DEFAULT_SEED;
        for (String a : args) {
            if (a.startsWith("--seed=")) {
                try {
                    seed = Long.parseLong(a.substring(7));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--seed must be a whole number, not '" + a.substring(7) + "'");
                }
            } else if (a.startsWith("-")) {
                throw new IllegalArgumentException("unknown option '" + a + "' (usage: rva eval DIR [--seed=N])");
            } else if (dir == null) {
                dir = Path.of(a);
            } else {
                throw new IllegalArgumentException("one folder only (usage: rva eval DIR [--seed=N])");
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("usage: rva eval DIR [--seed=N]  (DIR/<identity>/<photo>)");
        }
        List<LabelledFolder.Photo> photos = LabelledFolder.read(dir);
        Evaluation.Settings settings = new Evaluation.Settings(
                Double.parseDouble(Setting.MATCH_THRESHOLD.defaultValue()),
                Integer.parseInt(Setting.TEMPLATES_PER_CUSTOMER.defaultValue()),
                Double.parseDouble(Setting.MERGE_FLOOR.defaultValue()));
        QualityGate gate = QualityGate.defaults();
        long identities = photos.stream().map(LabelledFolder.Photo::identity).distinct().count();

        List<PhotoPipeline.Outcome> embedded = new ArrayList<>();
        Map<String, String> skipped = new TreeMap<>();
        String modelVersion;
        long start = System.nanoTime();
        try (OnnxEmbedder embedder = OnnxEmbedder.create(Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors())))) {
            modelVersion = embedder.modelVersion();
            PhotoPipeline pipeline = new PhotoPipeline(new FaceCropper(gate), embedder);
            for (LabelledFolder.Photo photo : Evaluation.arrivalOrder(photos, seed)) {
                PhotoPipeline.Outcome o = pipeline.run(photo);
                if (o.isSkipped()) {
                    skipped.put(photo.label(), o.skipped());
                } else {
                    embedded.add(o);
                }
            }
        }
        long pipelineMs = (System.nanoTime() - start) / 1_000_000;
        out.printf(Locale.ROOT, "rva eval %s: %d photos of %d identities; model %s; %s=%s %s=%s %s=%s; quality gate %s;"
                + " arrival order shuffled (seed %d)%n", dir, photos.size(), identities, modelVersion,
                Setting.MATCH_THRESHOLD.key(), Setting.MATCH_THRESHOLD.defaultValue(),
                Setting.TEMPLATES_PER_CUSTOMER.key(), Setting.TEMPLATES_PER_CUSTOMER.defaultValue(),
                Setting.MERGE_FLOOR.key(), Setting.MERGE_FLOOR.defaultValue(), gate, seed);
        out.printf(Locale.ROOT, "detect + gate + align + embed: %d ms for %d photos%n", pipelineMs, photos.size());

        out.println("Skipped photos: " + skipped.size());
        skipped.forEach((photo, why) -> out.println("  " + photo + ": " + why));
        if (embedded.isEmpty()) {
            throw new IllegalArgumentException("no photo of " + dir + " passed detection and the quality gate: nothing to score");
        }

        Evaluation.Result result = Evaluation.run(embedded, modelVersion, settings);
        List<String> labels = embedded.stream().map(o -> o.photo().identity()).toList();
        BCubed online = BCubed.score(labels, result.online());
        BCubed after = BCubed.score(labels, result.consolidated());

        out.println("Customer ids per identity (online -> after consolidation):");
        Map<String, List<Integer>> byIdentity = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byIdentity.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
        }
        byIdentity.forEach((identity, idx) -> out.printf(Locale.ROOT, "  %-24s %3d photos  %2d -> %2d customer(s)%n",
                identity, idx.size(), idx.stream().map(result.online()::get).distinct().count(),
                idx.stream().map(result.consolidated()::get).distinct().count()));

        out.println("Customers holding several identities (false merges), after consolidation:");
        int mixed = 0;
        Map<Long, Map<String, Long>> byCustomer = new TreeMap<>();
        for (int i = 0; i < labels.size(); i++) {
            byCustomer.computeIfAbsent(result.consolidated().get(i), k -> new TreeMap<>()).merge(labels.get(i), 1L, Long::sum);
        }
        for (Map.Entry<Long, Map<String, Long>> e : byCustomer.entrySet()) {
            if (e.getValue().size() > 1) {
                mixed++;
                out.println("  customer " + e.getKey() + ": " + e.getValue().entrySet().stream()
                        .map(x -> x.getKey() + " x" + x.getValue()).collect(Collectors.joining(", ")));
            }
        }
        if (mixed == 0) {
            out.println("  none");
        }
        out.printf(Locale.ROOT, "Consolidation: %d merge(s)%n", result.merges().size());
        for (Consolidation.Merge m : result.merges()) {
            out.printf(Locale.ROOT, "  customer %d <- %d (average similarity %.3f, needed %.3f)%n", m.survivor(),
                    m.absorbed(), m.similarity(), m.threshold());
        }
        long onlineCustomers = result.online().stream().distinct().count();
        long customers = result.consolidated().stream().distinct().count();
        out.printf(Locale.ROOT, "ONLINE bcubed_f1=%.3f precision=%.3f recall=%.3f customers=%d%n", online.f1(),
                online.precision(), online.recall(), onlineCustomers);
        out.printf(Locale.ROOT, "EVAL bcubed_f1=%.3f precision=%.3f recall=%.3f customers=%d identities=%d photos=%d"
                + " skipped=%d online_f1=%.3f%n", after.f1(), after.precision(), after.recall(), customers, identities,
                photos.size(), skipped.size(), online.f1());
        return 0;
    }
}
