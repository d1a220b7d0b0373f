package com.rva.simulator;

import com.rva.collector.vision.FaceCrop;
import com.rva.collector.vision.FaceCropper;
import com.rva.collector.vision.FrameDecodeException;
import com.rva.collector.vision.QualityGate;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./rva simulate}: plays store days ({@link SimulationPlan}) as camera frames into the folders real edge
 * collectors watch, with simulated time compressed: each frame file's modification time — the collector's capture
 * time for a {@code folder:} camera — is the simulated time it was taken, so the server computes visits and dwell
 * on simulated time. Writes the ground truth, waits until the collectors and the server have processed every
 * frame, reads what the server counted through the REST API and prints the errors. Last line:
 * {@code SIM visits_true=N visits_counted=N visit_error=0.000 customers_true=N customers_counted=N}.
 *
 * <p>visit_error = |visits counted − true visits| / true visits, over all stores and days.
 */
public final class Simulation {

    private static final Logger LOG = LoggerFactory.getLogger(Simulation.class);
    static final Duration VISIT_GAP = Duration.ofMinutes(30);
    /** Chance that a customer in the store shows their face in a frame (they turn away, walk behind a shelf). */
    static final double P_VISIBLE = 0.7;
    /** Chance that a frame shows something held in front of the camera (a {@code _noface} photo). */
    static final double P_NO_FACE_FRAME = 0.02;
    /** Frames waiting in a store's folder before the simulator waits for its collector. */
    static final int MAX_PENDING = 40;
    private static final int HEAD_SHOT = 220;
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final Options o;
    private final FaceCropper cropper = new FaceCropper(QualityGate.defaults());
    private final Map<String, List<BufferedImage>> cast = new TreeMap<>();
    private final Map<String, BufferedImage> groupPhotos = new TreeMap<>();
    private final List<BufferedImage> noFacePhotos = new ArrayList<>();
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Simulation(Options o) {
        this.o = o;
        this.random = new Random(o.seed);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            System.exit(new Simulation(o).run());
        } catch (IOException | RuntimeException e) {
            LOG.error("Simulation failed: {}", e.toString(), e);
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    int run() throws IOException, InterruptedException {
        loadCast();
        LocalDate firstDay = LocalDate.now(ZoneOffset.UTC).minusDays(o.days);
        SimulationPlan plan = SimulationPlan.generate(List.copyOf(cast.keySet()), o.stores, firstDay, o.days,
                o.hours, VISIT_GAP, List.copyOf(groupPhotos.keySet()), o.seed);
        LOG.info("Plan: {} store(s), {} day(s) from {} ({} h a day), {} customer(s), {} stay(s), {} group pass(es)",
                o.stores.size(), o.days, firstDay, o.hours, cast.size(), plan.stays().size(), plan.groups().size());
        Map<SimulationPlan.GroupPass, Integer> groupFaces = play(plan);
        Truth truth = writeTruth(plan, groupFaces);

        long stored = drain();
        Counted online = readServer(plan, stored);
        System.out.printf(Locale.ROOT, "crops stored by the collectors=%d sightings on the server=%d%n", stored,
                online.sightings);
        System.out.printf(Locale.ROOT, "online (as ingested, before the nightly identity consolidation):"
                + " visits_counted=%d visit_error=%.3f customers_counted=%d%n", online.visits,
                truth.error(online.visits), online.customers);
        report(plan, "diagnosis-online.csv");
        // the product's nightly step, run now as the next morning would find the counts
        consolidate();
        Counted counted = readServer(plan, stored);
        System.out.println("after the identity consolidation:");
        long storeDifferences = 0;
        for (String store : o.stores) {
            int t = truth.visitsByStore.getOrDefault(store, 0);
            long c = counted.visitsByStore.getOrDefault(store, 0L);
            storeDifferences += Math.abs(c - t);
            System.out.printf(Locale.ROOT, "store %s: visits_true=%d visits_counted=%d%n", store, t, c);
        }
        // stricter than visit_error: a store's surplus cannot hide another's shortfall
        System.out.printf(Locale.ROOT, "per-store visit error (sum of |counted - true| per store / true)=%.3f%n",
                truth.visits == 0 ? 0 : storeDifferences / (double) truth.visits);
        report(plan, "diagnosis.csv");
        System.out.printf(Locale.ROOT, "ground truth: %s%n", o.out.resolve("truth-visits.csv"));
        System.out.printf(Locale.ROOT,
                "SIM visits_true=%d visits_counted=%d visit_error=%.3f customers_true=%d customers_counted=%d%n",
                truth.visits, counted.visits, truth.error(counted.visits), truth.customers, counted.customers);
        return 0;
    }

    // --- the cast ------------------------------------------------------------------------------------------

    /**
     * Head shots of the labelled identities: each photo cut to a square around its largest face (a camera sees
     * a head, not a passport photo's whole page). A photo in which no face is found cannot be cast and is skipped.
     */
    private void loadCast() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(o.faces)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        int skipped = 0;
        for (Path dir : dirs) {
            String name = dir.getFileName().toString();
            if (name.equals("_group")) {
                for (Path f : images(dir)) {
                    BufferedImage img = ImageIO.read(f.toFile());
                    if (img != null) {
                        groupPhotos.put(f.getFileName().toString(), shrink(img, 1280));
                    }
                }
                continue;
            }
            if (name.equals("_noface")) {
                for (Path f : images(dir)) {
                    BufferedImage img = ImageIO.read(f.toFile());
                    if (img != null) {
                        noFacePhotos.add(shrink(img, 1280));
                    }
                }
                continue;
            }
            if (name.startsWith("_") || name.startsWith(".")) {
                continue;
            }
            List<BufferedImage> shots = new ArrayList<>();
            for (Path f : images(dir)) {
                BufferedImage shot = headShot(f);
                if (shot == null) {
                    skipped++;
                    LOG.info("No face found in {}: not cast", o.faces.relativize(f));
                } else {
                    shots.add(shot);
                }
            }
            if (!shots.isEmpty()) {
                cast.put(name, shots);
            }
        }
        if (cast.isEmpty()) {
            throw new IOException("no identity folder with usable face photos in " + o.faces);
        }
        LOG.info("Cast: {} identities, {} head shots ({} photos without a detectable face skipped), {} group photo(s),"
                + " {} no-face photo(s)", cast.size(), cast.values().stream().mapToInt(List::size).sum(), skipped,
                groupPhotos.size(), noFacePhotos.size());
    }

    private static List<Path> images(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("(?i)[^.].*\\.(jpe?g|png)")).sorted().toList();
        }
    }

    private BufferedImage headShot(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            return null;
        }
        FaceCropper.Result found;
        try {
            found = cropper.analyse(Files.readAllBytes(file));
        } catch (FrameDecodeException e) {
            return null;
        }
        FaceCrop.Box best = null;
        for (FaceCrop c : found.crops()) {
            if (best == null || c.box().minSide() > best.minSide()) {
                best = c.box();
            }
        }
        if (best == null) {
            return null;
        }
        double side = 1.9 * Math.max(best.width(), best.height());
        double cx = best.x() + best.width() / 2;
        double cy = best.y() + best.height() / 2;
        BufferedImage shot = new BufferedImage(HEAD_SHOT, HEAD_SHOT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = shot.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setColor(Color.GRAY);
            g.fillRect(0, 0, HEAD_SHOT, HEAD_SHOT);
            int sx = (int) Math.round(cx - side / 2);
            int sy = (int) Math.round(cy - side / 2);
            int s = (int) Math.round(side);
            g.drawImage(img, 0, 0, HEAD_SHOT, HEAD_SHOT, sx, sy, sx + s, sy + s, null);
        } finally {
            g.dispose();
        }
        return shot;
    }

    private static BufferedImage shrink(BufferedImage img, int maxSide) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(img.getWidth(), img.getHeight()));
        if (scale >= 1.0) {
            return img;
        }
        int w = (int) Math.round(img.getWidth() * scale);
        int h = (int) Math.round(img.getHeight() * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(img, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    // --- playing ------------------------------------------------------------------------------------------------

    /** Where a customer stands during one stay, and the photo they show while standing still. */
    private record Slot(int column, int size, int y, BufferedImage stillPhoto, String stillName) {
    }

    /** One camera: its own interval (10–30 s) and the simulated time of its next frame. */
    private static final class Camera {
        final String store;
        final Duration interval;
        Instant next;
        int day;
        long seq;

        Camera(String store, Duration interval, Instant first) {
            this.store = store;
            this.interval = interval;
            this.next = first;
        }
    }

    /** Plays every camera's frames in simulated-time order; returns the faces the collector can see per group. */
    private Map<SimulationPlan.GroupPass, Integer> play(SimulationPlan plan) throws IOException, InterruptedException {
        List<Camera> cameras = new ArrayList<>();
        for (String store : o.stores) {
            Files.createDirectories(o.frames.resolve(store));
            cameras.add(new Camera(store, Duration.ofSeconds(10 + random.nextInt(21)),
                    plan.opening(0).plusSeconds(random.nextInt(10))));
        }
        Map<SimulationPlan.Stay, Slot> slots = new HashMap<>();
        Map<SimulationPlan.Stay, Integer> shown = new HashMap<>();
        Map<SimulationPlan.GroupPass, Integer> groupShown = new HashMap<>();
        Map<SimulationPlan.GroupPass, Integer> groupFaces = new LinkedHashMap<>();
        long frames = 0;
        long faces = 0;
        long wallStart = System.nanoTime();
        double simulatedSeconds = 0;
        Instant previous = null;
        while (true) {
            Camera cam = null;
            for (Camera c : cameras) {
                if (c.day < plan.days() && (cam == null || c.next.isBefore(cam.next))) {
                    cam = c;
                }
            }
            if (cam == null) {
                break;
            }
            Instant t = cam.next;
            // pace: --speed simulated seconds per real second (nights are skipped)
            if (previous != null) {
                long step = Duration.between(previous, t).toSeconds();
                simulatedSeconds += step > 3600 ? 0 : step;
            }
            previous = t;
            if (o.speed > 0) {
                long due = wallStart + (long) (simulatedSeconds / o.speed * 1e9);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            Path folder = o.frames.resolve(cam.store);
            while (pending(folder) >= MAX_PENDING) {
                Thread.sleep(50);
            }

            BufferedImage image;
            SimulationPlan.GroupPass group = activeGroup(plan, cam.store, t, groupShown);
            if (group != null) {
                image = FrameRenderer.renderPhoto(cam.store, groupPhotos.get(group.photo()));
                groupShown.merge(group, 1, Integer::sum);
                if (!groupFaces.containsKey(group)) {
                    // nobody labelled these people: the faces a collector can use in this frame are the group
                    groupFaces.put(group, countFaces(image));
                    LOG.info("{} {}: group photo {} passes ({} usable face(s))", t, cam.store, group.photo(),
                            groupFaces.get(group));
                }
                faces += groupFaces.get(group);
            } else if (!noFacePhotos.isEmpty() && random.nextDouble() < P_NO_FACE_FRAME) {
                image = FrameRenderer.renderPhoto(cam.store, noFacePhotos.get(random.nextInt(noFacePhotos.size())));
            } else {
                List<FrameRenderer.Face> drawn = new ArrayList<>();
                for (SimulationPlan.Stay s : plan.present(cam.store, t)) {
                    Slot slot = slots.computeIfAbsent(s, k -> arrive(k, slots));
                    boolean first = !shown.containsKey(s);
                    if (first || s.stillAt(t) || random.nextDouble() < P_VISIBLE) {
                        drawn.add(face(s, slot, t));
                        shown.merge(s, 1, Integer::sum);
                    }
                }
                image = FrameRenderer.render(cam.store, drawn);
                faces += drawn.size();
            }
            write(image, folder.resolve("frame-" + FILE_TIME.format(t) + "-" + String.format("%06d", cam.seq++) + ".jpg"), t);
            frames++;
            if (frames % 500 == 0) {
                LOG.info("{} frame(s) written, simulated time {}", frames, t);
            }
            // next frame of this camera: its interval with a little jitter, next day's opening after closing
            Instant next = t.plus(cam.interval).plusMillis(random.nextInt(4001) - 2000);
            if (!next.isBefore(plan.closing(cam.day))) {
                cam.day++;
                next = cam.day < plan.days() ? plan.opening(cam.day).plusSeconds(random.nextInt(10)) : next;
            }
            cam.next = next;
        }
        for (SimulationPlan.Stay s : plan.stays()) {
            if (!shown.containsKey(s)) {
                throw new IllegalStateException("stay never shown (shorter than a camera interval?): " + s);
            }
        }
        LOG.info("Played {} frame(s) with {} pasted face(s) in {} s", frames, faces,
                (System.nanoTime() - wallStart) / 1_000_000_000);
        return groupFaces;
    }

    private SimulationPlan.GroupPass activeGroup(SimulationPlan plan, String store, Instant t,
            Map<SimulationPlan.GroupPass, Integer> groupShown) {
        for (SimulationPlan.GroupPass g : plan.groups()) {
            if (g.storeId().equals(store) && !t.isBefore(g.at()) && groupShown.getOrDefault(g, 0) < g.frames()) {
                return g;
            }
        }
        return null;
    }

    private int countFaces(BufferedImage frame) throws IOException {
        try {
            return cropper.crop(jpeg(frame)).size();
        } catch (FrameDecodeException e) {
            throw new IOException("cannot decode a rendered frame", e);
        }
    }

    private Slot arrive(SimulationPlan.Stay s, Map<SimulationPlan.Stay, Slot> slots) {
        boolean[] taken = new boolean[StoreDayPlan.MAX_PRESENT];
        slots.forEach((other, slot) -> {
            if (other != s && other.storeId().equals(s.storeId()) && other.end().isAfter(s.start())
                    && other.start().isBefore(s.end())) {
                taken[slot.column()] = true;
            }
        });
        int column = 0;
        while (column < taken.length - 1 && taken[column]) {
            column++;
        }
        int size = FrameRenderer.MIN_FACE + random.nextInt(FrameRenderer.MAX_FACE - FrameRenderer.MIN_FACE - 9);
        int y = 20 + random.nextInt(FrameRenderer.HEIGHT - size - 40);
        List<BufferedImage> shots = cast.get(s.customer());
        int still = random.nextInt(shots.size());
        return new Slot(column, size, y, shots.get(still), s.customer() + "#" + still);
    }

    /** The customer as seen at {@code t}: standing still (same photo, same place) or moving a little. */
    private FrameRenderer.Face face(SimulationPlan.Stay s, Slot slot, Instant t) {
        if (s.stillAt(t)) {
            return new FrameRenderer.Face(s.customer(), new DemoFaces.Photo(slot.stillName(), slot.stillPhoto()),
                    slot.size(), slot.column(), slot.y());
        }
        List<BufferedImage> shots = cast.get(s.customer());
        int n = random.nextInt(shots.size());
        int size = Math.max(FrameRenderer.MIN_FACE, Math.min(FrameRenderer.MAX_FACE, slot.size() + random.nextInt(11)));
        int y = slot.y() + random.nextInt(17) - 8;
        return new FrameRenderer.Face(s.customer(), new DemoFaces.Photo(s.customer() + "#" + n, shots.get(n)), size,
                slot.column(), y);
    }

    private static long pending(Path folder) throws IOException {
        long n = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder, "frame-*.jpg")) {
            for (Path ignored : dir) {
                n++;
            }
        }
        return n;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        if (!ImageIO.write(image, "jpeg", out)) {
            throw new IOException("no JPEG writer");
        }
        return out.toByteArray();
    }

    /**
     * Hidden temporary name, capture time as modification time, atomic rename: the collector never reads half a
     * file, and takes the simulated time as the frame's capture time.
     */
    private static void write(BufferedImage image, Path file, Instant capturedAt) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.write(tmp, jpeg(image));
        Files.setLastModifiedTime(tmp, FileTime.from(capturedAt));
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    // --- ground truth ---------------------------------------------------------------------------------------------

    record Truth(int visits, int customers, Map<String, Integer> visitsByStore) {

        /** visit_error: |counted − true| / true visits (0 when there is no true visit). */
        double error(long counted) {
            return visits == 0 ? 0 : Math.abs(counted - visits) / (double) visits;
        }
    }

    private Truth writeTruth(SimulationPlan plan, Map<SimulationPlan.GroupPass, Integer> groupFaces) throws IOException {
        Files.createDirectories(o.out);
        Map<String, Integer> byStore = new TreeMap<>();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(o.out.resolve("truth-stays.csv"),
                StandardCharsets.UTF_8))) {
            w.println("customer,store,start,end,still_from,still_to");
            for (SimulationPlan.Stay s : plan.stays()) {
                w.println(s.customer() + "," + s.storeId() + "," + s.start() + "," + s.end() + ","
                        + (s.stillFrom() == null ? "" : s.stillFrom()) + "," + (s.stillTo() == null ? "" : s.stillTo()));
                byStore.merge(s.storeId(), 1, Integer::sum);
            }
        }
        int visits = plan.stays().size();
        Map<String, Map<String, Integer>> perCustomer = plan.visitsByCustomerAndStore();
        int customers = perCustomer.size();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(o.out.resolve("truth-visits.csv"),
                StandardCharsets.UTF_8))) {
            w.println("customer,store,visits");
            perCustomer.forEach((c, stores) -> stores.forEach((s, n) -> w.println(c + "," + s + "," + n)));
            // group photos: nobody labelled these people; each usable face is one person making one visit
            for (Map.Entry<SimulationPlan.GroupPass, Integer> e : groupFaces.entrySet()) {
                for (int i = 0; i < e.getValue(); i++) {
                    w.println("group:" + e.getKey().photo() + "#" + (i + 1) + "," + e.getKey().storeId() + ",1");
                }
                visits += e.getValue();
                customers += e.getValue();
                byStore.merge(e.getKey().storeId(), e.getValue(), Integer::sum);
            }
        }
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(o.out.resolve("truth-customers.csv"),
                StandardCharsets.UTF_8))) {
            w.println("customer,visits,stores");
            perCustomer.forEach((c, stores) -> w.println(c + "," + stores.values().stream().mapToInt(i -> i).sum() + ","
                    + String.join(" ", stores.keySet())));
        }
        LOG.info("Ground truth: {} visit(s) by {} customer(s) in {}", visits, customers, o.out);
        return new Truth(visits, customers, byStore);
    }

    // --- waiting for the product and reading what it counted -----------------------------------------------------

    private static final Pattern BACKLOG = Pattern.compile("\"backlog\":(\\d+)");
    private static final Pattern STORED = Pattern.compile("\"cropsStored\":(\\d+)");

    /** Waits until every frame was taken and every crop forwarded; returns the crops the collectors stored. */
    private long drain() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + o.timeout.toNanos();
        for (String store : o.stores) {
            Path folder = o.frames.resolve(store);
            while (pending(folder) > 0) {
                check(deadline, "the collector of " + store + " did not take every frame");
                Thread.sleep(500);
            }
        }
        while (true) {
            long backlog = 0;
            long stored = 0;
            for (URI health : o.collectors) {
                String json = get(health, null);
                backlog += sum(BACKLOG, json);
                stored += sum(STORED, json);
            }
            if (backlog == 0) {
                LOG.info("Every frame taken; the collectors stored {} crop(s) and forwarded them all", stored);
                return stored;
            }
            check(deadline, backlog + " crop(s) still in the collectors' outboxes");
            Thread.sleep(1000);
        }
    }

    record Counted(long visits, long customers, long sightings, Map<String, Long> visitsByStore) {
    }

    private static final Pattern STORE_OBJECT = Pattern.compile("\\{[^{}]*\"code\"\\s*:\\s*\"([^\"]+)\"[^{}]*\\}");
    private static final Pattern VISITS = Pattern.compile("\"visits\"\\s*:\\s*(\\d+)");
    private static final Pattern SIGHTINGS = Pattern.compile("\"sightings\"\\s*:\\s*(\\d+)");
    private static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

    /** Waits until the server holds a sighting for every crop (or stops changing), then reads its counts. */
    private Counted readServer(SimulationPlan plan, long stored) throws IOException, InterruptedException {
        String range = "from=" + plan.firstDay() + "&to=" + plan.lastDay();
        URI stores = o.api.resolve("stores?" + range);
        long deadline = System.nanoTime() + o.timeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        String json;
        while (true) {
            json = get(stores, o.adminPassword);
            long sightings = sum(SIGHTINGS, json);
            if (sightings >= stored) {
                break;
            }
            if (sightings != last) {
                last = sightings;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > Duration.ofSeconds(90).toNanos()) {
                LOG.warn("The server holds {} sighting(s) for {} stored crop(s) and has not changed for 90 s;"
                        + " counting what is there (rejected crops: see the server log)", sightings, stored);
                break;
            }
            check(deadline, "the server has " + sightings + " of " + stored + " sightings");
            Thread.sleep(1000);
        }
        Map<String, Long> byStore = new TreeMap<>();
        Matcher m = STORE_OBJECT.matcher(json);
        while (m.find()) {
            byStore.put(m.group(1), sum(VISITS, m.group()));
        }
        long visits = byStore.values().stream().mapToLong(Long::longValue).sum();
        long sightings = sum(SIGHTINGS, json);
        long customers = sum(TOTAL, get(o.api.resolve("customers?" + range + "&size=1"), o.adminPassword));
        return new Counted(visits, customers, sightings, byStore);
    }

    /** One visit as the server's API lists it. */
    record ServerVisit(long customer, String store, Instant start, Instant end) {
    }

    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern CUSTOMER_ID = Pattern.compile("\"customerId\"\\s*:\\s*(\\d+)");
    private static final Pattern STORE = Pattern.compile("\"store\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STARTED = Pattern.compile("\"startedUtc\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ENDED = Pattern.compile("\"endedUtc\"\\s*:\\s*\"([^\"]+)\"");

    /** Every visit the server counted in the simulated days ({@code GET visits}, paged). */
    private List<ServerVisit> serverVisits(SimulationPlan plan) throws IOException, InterruptedException {
        List<ServerVisit> visits = new ArrayList<>();
        for (int first = 0; ; first += 1000) {
            String json = get(o.api.resolve("visits?from=" + plan.firstDay() + "&to=" + plan.lastDay() + "&first="
                    + first + "&size=1000"), o.adminPassword);
            List<ServerVisit> page = parseVisits(json);
            visits.addAll(page);
            if (page.size() < 1000) {
                return visits;
            }
        }
    }

    /** The visits of one page of {@code GET visits}. */
    static List<ServerVisit> parseVisits(String json) {
        List<ServerVisit> visits = new ArrayList<>();
        Matcher m = OBJECT.matcher(json);
        while (m.find()) {
            String v = m.group();
            Matcher c = CUSTOMER_ID.matcher(v);
            Matcher st = STORE.matcher(v);
            Matcher a = STARTED.matcher(v);
            Matcher b = ENDED.matcher(v);
            if (c.find() && st.find() && a.find() && b.find()) {
                visits.add(new ServerVisit(Long.parseLong(c.group(1)), st.group(1), utc(a.group(1)), utc(b.group(1))));
            }
        }
        return visits;
    }

    private static Instant utc(String localDateTime) {
        String t = localDateTime.endsWith("Z") ? localDateTime.substring(0, localDateTime.length() - 1) : localDateTime;
        return java.time.LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }

    /** Prints the diagnosis of the server's visits now (its per-stay rows go to {@code file}). */
    private void report(SimulationPlan plan, String file) throws InterruptedException {
        try {
            System.out.println(diagnose(plan, serverVisits(plan), o.out.resolve(file)));
        } catch (IOException | RuntimeException e) {
            // the figures stand; only the explanation is missing
            LOG.warn("No diagnosis: {}", e.toString(), e);
            System.out.println("diagnosis: unavailable (" + e + ")");
        }
    }

    private static final Pattern EXECUTION_ID = Pattern.compile("\"executionId\"\\s*:\\s*(\\d+)");
    private static final Pattern BATCH_STATUS = Pattern.compile("\"batchStatus\"\\s*:\\s*\"([A-Z]+)\"");
    private static final Pattern EXIT_STATUS = Pattern.compile("\"exitStatus\"\\s*:\\s*\"([^\"]*)\"");

    /**
     * Runs the server's identity-consolidation job ({@code POST jobs/identity-consolidation}) and waits for it:
     * the customers enrolled twice within a stay are merged and their visits and aggregates recounted, as the
     * nightly run does.
     */
    private void consolidate() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(o.api.resolve("jobs/identity-consolidation"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody())
                .header("Authorization", basic(o.adminPassword)).build();
        HttpResponse<String> started = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher id = EXECUTION_ID.matcher(started.body());
        if (started.statusCode() != 202 || !id.find()) {
            throw new IOException("POST jobs/identity-consolidation answered " + started.statusCode() + ": "
                    + started.body());
        }
        URI execution = o.api.resolve("jobs/executions/" + id.group(1));
        long deadline = System.nanoTime() + o.timeout.toNanos();
        while (true) {
            String json = get(execution, o.adminPassword);
            Matcher status = BATCH_STATUS.matcher(json);
            String batchStatus = status.find() ? status.group(1) : "?";
            if (batchStatus.equals("COMPLETED")) {
                Matcher exit = EXIT_STATUS.matcher(json);
                LOG.info("identity-consolidation execution {}: {}", id.group(1), exit.find() ? exit.group(1) : "");
                return;
            }
            if (List.of("FAILED", "STOPPED", "ABANDONED").contains(batchStatus)) {
                throw new IOException("identity-consolidation execution " + id.group(1) + " ended " + batchStatus
                        + " (see the server log): " + json);
            }
            check(deadline, "identity-consolidation execution " + id.group(1) + " is still " + batchStatus);
            Thread.sleep(500);
        }
    }

    /**
     * Why the counts differ: matches the server's visits to the true stays by store and time. Each server customer
     * stands for the identity whose stays its visits overlap longest; a stay is then covered by the overlapping
     * visits of the customers standing for its identity. A stay no such visit covers was missed; a stay two or more
     * cover was split (a second customer for the same person, or a gap); a server visit overlapping no stay and no
     * group pass is unexplained. An identity several customers stand for is split; a customer whose visits best
     * match different identities merges them.
     */
    private String diagnose(SimulationPlan plan, List<ServerVisit> server, Path file) throws IOException {
        Duration slack = Duration.ofMinutes(1);
        Map<Long, Map<String, Long>> overlapByCustomer = new TreeMap<>();
        Map<Long, java.util.Set<String>> bestPerVisit = new TreeMap<>();
        java.util.Set<ServerVisit> explained = new java.util.HashSet<>();
        for (ServerVisit v : server) {
            String best = null;
            long bestSeconds = -1;
            for (SimulationPlan.Stay st : plan.stays()) {
                if (!st.storeId().equals(v.store()) || !v.start().isBefore(st.end().plus(slack))
                        || !st.start().minus(slack).isBefore(v.end())) {
                    continue;
                }
                Instant from = v.start().isAfter(st.start()) ? v.start() : st.start();
                Instant to = v.end().isBefore(st.end()) ? v.end() : st.end();
                long seconds = Math.max(0, Duration.between(from, to).toSeconds()) + 1;
                overlapByCustomer.computeIfAbsent(v.customer(), k -> new TreeMap<>()).merge(st.customer(), seconds,
                        Long::sum);
                explained.add(v);
                if (seconds > bestSeconds) {
                    bestSeconds = seconds;
                    best = st.customer();
                }
            }
            if (best != null) {
                bestPerVisit.computeIfAbsent(v.customer(), k -> new java.util.TreeSet<>()).add(best);
            }
        }
        Map<Long, String> identityOf = new TreeMap<>();
        overlapByCustomer.forEach((c, m) -> identityOf.put(c, m.entrySet().stream()
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey()));
        int missed = 0;
        int split = 0;
        int excess = 0;
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file,
                StandardCharsets.UTF_8))) {
            w.println("customer,store,start,end,server_visits,server_customers");
            for (SimulationPlan.Stay st : plan.stays()) {
                List<ServerVisit> covering = server.stream().filter(v -> v.store().equals(st.storeId())
                        && st.customer().equals(identityOf.get(v.customer()))
                        && v.start().isBefore(st.end().plus(slack)) && st.start().minus(slack).isBefore(v.end()))
                        .toList();
                if (covering.isEmpty()) {
                    missed++;
                } else if (covering.size() > 1) {
                    split++;
                    excess += covering.size() - 1;
                }
                w.println(st.customer() + "," + st.storeId() + "," + st.start() + "," + st.end() + "," + covering.size()
                        + "," + covering.stream().map(v -> String.valueOf(v.customer())).distinct()
                                .collect(java.util.stream.Collectors.joining(" ")));
            }
        }
        for (SimulationPlan.GroupPass g : plan.groups()) {
            server.stream().filter(v -> v.store().equals(g.storeId()) && !v.start().isBefore(g.at().minus(slack))
                    && v.start().isBefore(g.at().plus(Duration.ofMinutes(2)))).forEach(explained::add);
        }
        long unexplained = server.stream().filter(v -> !explained.contains(v)).count();
        Map<String, Long> customersPerIdentity = new TreeMap<>();
        identityOf.values().forEach(i -> customersPerIdentity.merge(i, 1L, Long::sum));
        long identitiesSplit = customersPerIdentity.values().stream().filter(n -> n > 1).count();
        long merging = bestPerVisit.values().stream().filter(i -> i.size() > 1).count();
        return String.format(Locale.ROOT, "diagnosis: stays=%d missed=%d split=%d (+%d visits) server_visits=%d"
                + " unexplained=%d identities_split=%d customers_merging_identities=%d (per stay: %s)",
                plan.stays().size(), missed, split, excess, server.size(), unexplained, identitiesSplit, merging,
                file);
    }

    private static void check(long deadline, String what) throws IOException {
        if (System.nanoTime() > deadline) {
            throw new IOException("timed out: " + what);
        }
    }

    private static long sum(Pattern p, String json) {
        long n = 0;
        Matcher m = p.matcher(json);
        while (m.find()) {
            n += Long.parseLong(m.group(1));
        }
        return n;
    }

    private static String basic(String adminPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
    }

    private String get(URI uri, String adminPassword) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET();
        if (adminPassword != null) {
            b.header("Authorization", basic(adminPassword));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 && r.statusCode() != 503) { // a collector's /health is 503 while a camera fails
            throw new IOException("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    // --- options ------------------------------------------------------------------------------------------------

    record Options(Path frames, Path out, List<String> stores, int days, int hours, Path faces, long seed, double speed,
            URI api, String adminPassword, List<URI> collectors, Duration timeout) {

        static Options parse(String[] args) {
            Map<String, String> m = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                String name = a.contains("=") ? a.substring(2, a.indexOf('=')) : a.substring(2);
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
                if (value == null) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                m.put(name, value);
            }
            for (String required : List.of("frames", "out", "stores", "faces", "api", "admin-password-file", "collectors")) {
                if (!m.containsKey(required)) {
                    throw new IllegalArgumentException("--" + required + " is required");
                }
            }
            List<String> stores = List.of(m.get("stores").split(","));
            List<URI> collectors = Stream.of(m.get("collectors").split(",")).map(URI::create).toList();
            String password;
            try {
                password = Files.readString(Path.of(m.get("admin-password-file"))).trim();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path faces = Path.of(m.get("faces"));
            if (!Files.isDirectory(faces)) {
                throw new IllegalArgumentException("--faces " + faces + " is not a folder of labelled photos");
            }
            String api = m.get("api");
            return new Options(Path.of(m.get("frames")), Path.of(m.get("out")), stores,
                    positive("days", m.getOrDefault("days", "2")), positive("hours", m.getOrDefault("hours", "3")),
                    faces, Long.parseLong(m.getOrDefault("seed", "42")), Double.parseDouble(m.getOrDefault("speed", "300")),
                    URI.create(api.endsWith("/") ? api : api + "/"), password, collectors,
                    Duration.ofSeconds(positive("timeout", m.getOrDefault("timeout", "1800"))));
        }

        private static int positive(String name, String value) {
            int v;
            try {
                v = Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--" + name + " must be a whole number, not '" + value + "'");
            }
            if (v < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1, not " + v);
            }
            return v;
        }
    }
}
