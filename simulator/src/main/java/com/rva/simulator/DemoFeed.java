package com.rva.simulator;

import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo feed: plays store days in real time with the demo identities and writes, per store and tick,
 * one synthetic 640×480 JPEG into {@code <root>/<storeId>/} for a collector's {@code folder:} source.
 * Frames are written to a hidden temporary name and renamed atomically, so a collector never reads half
 * a file. What was played is appended to {@code <root>/ground-truth.csv}.
 *
 * <pre>
 * DemoFeed ROOT STORE_IDS INTERVAL_SECONDS [--frames N] [--seed S] [--day-frames D] [--faces DIR]
 * </pre>
 */
public final class DemoFeed {

    private static final Logger LOG = LoggerFactory.getLogger(DemoFeed.class);
    public static final String GROUND_TRUTH = "ground-truth.csv";
    static final int DEFAULT_DAY_FRAMES = 120;
    private static final float JPEG_QUALITY = 0.9f;
    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    /** One frame written: where, when, and who is in it. */
    public record FrameRecord(String storeId, Path file, Instant capturedAt, List<FrameRenderer.Face> faces) {
    }

    /** Where a customer stands during one visit. */
    private record Slot(int column, int size, int y) {
    }

    private final Path root;
    private final List<String> stores;
    private final Duration interval;
    private final List<DemoFaces.Identity> identities;
    private final long seed;
    private final int dayFrames;
    private final Random random;

    private StoreDayPlan plan;
    private int planDay = -1;
    private final Map<StoreDayPlan.Visit, Slot> slots = new HashMap<>();

    public DemoFeed(Path root, List<String> stores, Duration interval, List<DemoFaces.Identity> identities, long seed,
            int dayFrames) {
        if (stores.isEmpty()) {
            throw new IllegalArgumentException("at least one store id is needed");
        }
        this.root = root;
        this.stores = List.copyOf(stores);
        this.interval = interval;
        this.identities = List.copyOf(identities);
        this.seed = seed;
        this.dayFrames = dayFrames;
        this.random = new Random(seed);
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Args a;
        try {
            a = Args.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Usage: DemoFeed ROOT_DIR STORE_IDS(comma-separated) INTERVAL_SECONDS"
                    + " [--frames N] [--seed S] [--day-frames D] [--faces LABELLED_DIR]");
            System.exit(2);
            return;
        }
        try {
            List<DemoFaces.Identity> identities = a.faces == null ? DemoFaces.bundled() : DemoFaces.fromFolder(a.faces);
            new DemoFeed(a.root, a.stores, a.interval, identities, a.seed, a.dayFrames).run(a.frames, r -> { });
        } catch (IOException | RuntimeException e) {
            LOG.error("Demo feed failed: {}", e.toString(), e);
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Plays {@code framesPerStore} ticks (or forever when negative), one frame per store per tick, one tick
     * per interval.
     */
    public void run(long framesPerStore, Consumer<FrameRecord> listener) throws IOException, InterruptedException {
        for (String store : stores) {
            Files.createDirectories(root.resolve(store));
        }
        Path truthFile = root.resolve(GROUND_TRUTH);
        boolean newTruth = !Files.exists(truthFile);
        LOG.info("Demo feed: {} customer(s), stores {}, a frame every {} ms into {}; day = {} frames", identities.size(),
                stores, interval.toMillis(), root.toAbsolutePath(), dayFrames);
        try (BufferedWriter truth = Files.newBufferedWriter(truthFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            if (newTruth) {
                truth.write("capturedAt,storeId,frame,faces,customer,photo,x,y,size\n");
            }
            long start = System.nanoTime();
            for (long tick = 0; framesPerStore < 0 || tick < framesPerStore; tick++) {
                long due = start + tick * interval.toNanos();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                for (FrameRecord r : tick(tick)) {
                    writeTruth(truth, r);
                    listener.accept(r);
                }
                truth.flush();
            }
        }
        LOG.info("Demo feed finished after {} frame(s) per store", framesPerStore);
    }

    /** Writes one frame per store for this tick. */
    List<FrameRecord> tick(long tick) throws IOException {
        int day = (int) (tick / dayFrames);
        int t = (int) (tick % dayFrames);
        if (day != planDay) {
            if (plan != null) {
                logDepartures(plan, dayFrames);
            }
            plan = StoreDayPlan.generate(identities.stream().map(DemoFaces.Identity::name).toList(), stores, dayFrames,
                    seed + day);
            planDay = day;
            slots.clear();
            LOG.info("Day {}: {} planned visit(s): {}", day + 1, plan.visits().size(), describe(plan));
        }
        logDepartures(plan, t);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<FrameRecord> records = new ArrayList<>();
        Map<String, String> where = new LinkedHashMap<>();
        for (String store : stores) {
            List<FrameRenderer.Face> faces = new ArrayList<>();
            for (StoreDayPlan.Visit v : plan.present(store, t)) {
                Slot slot = slots.computeIfAbsent(v, this::arrive);
                faces.add(face(v.customer(), slot));
            }
            BufferedImage image = FrameRenderer.render(store, faces);
            Path file = root.resolve(store).resolve("frame-" + FILE_TIME.format(now) + "-" + String.format("%06d", tick)
                    + ".jpg");
            writeAtomically(image, file);
            records.add(new FrameRecord(store, file, now, faces));
            where.put(store, faces.isEmpty() ? "-" : faces.stream().map(FrameRenderer.Face::customer)
                    .collect(Collectors.joining(", ")));
        }
        LOG.info("Frame {} (day {}, {}/{}): {}", tick, day + 1, t + 1, dayFrames, where.entrySet().stream()
                .map(e -> e.getKey() + " [" + e.getValue() + "]").collect(Collectors.joining(" ")));
        return records;
    }

    /** Logs the visits that ended just before tick {@code t}. */
    private static void logDepartures(StoreDayPlan plan, int t) {
        for (StoreDayPlan.Visit v : plan.visits()) {
            if (v.end() == t) {
                LOG.info("{}: {} leaves after {} frame(s)", v.storeId(), v.customer(), v.end() - v.start());
            }
        }
    }

    private Slot arrive(StoreDayPlan.Visit v) {
        boolean[] taken = new boolean[StoreDayPlan.MAX_PRESENT];
        slots.forEach((other, s) -> {
            if (other.storeId().equals(v.storeId()) && other.end() > v.start() && other != v) {
                taken[s.column()] = true;
            }
        });
        int column = 0;
        while (column < taken.length - 1 && taken[column]) {
            column++;
        }
        int size = FrameRenderer.MIN_FACE + random.nextInt(FrameRenderer.MAX_FACE - FrameRenderer.MIN_FACE - 9);
        int y = 20 + random.nextInt(FrameRenderer.HEIGHT - size - 40);
        long visitNo = plan.visits().stream().filter(o -> o.customer().equals(v.customer()) && o.start() <= v.start())
                .count();
        LOG.info("{}: {} arrives{}", v.storeId(), v.customer(), visitNo > 1 ? " (visit " + visitNo + " today)" : "");
        return new Slot(column, size, y);
    }

    /** The customer as seen this frame: a random photo of them, moving a little. */
    private FrameRenderer.Face face(String customer, Slot slot) {
        DemoFaces.Identity id = identities.stream().filter(i -> i.name().equals(customer)).findFirst().orElseThrow();
        DemoFaces.Photo photo = id.photos().get(random.nextInt(id.photos().size()));
        int size = Math.max(FrameRenderer.MIN_FACE, Math.min(FrameRenderer.MAX_FACE, slot.size() + random.nextInt(11)));
        int y = slot.y() + random.nextInt(17) - 8;
        return new FrameRenderer.Face(customer, photo, size, slot.column(), y);
    }

    private static String describe(StoreDayPlan plan) {
        return plan.visits().stream().map(v -> v.customer() + "@" + v.storeId() + "[" + v.start() + "-" + v.end() + ")")
                .collect(Collectors.joining(" "));
    }

    /** JPEG to a hidden temporary name in the same folder, then an atomic rename. */
    static void writeAtomically(BufferedImage image, Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (OutputStream out = Files.newOutputStream(tmp); ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(JPEG_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void writeTruth(BufferedWriter truth, FrameRecord r) throws IOException {
        String prefix = r.capturedAt() + "," + r.storeId() + "," + r.file().getFileName() + "," + r.faces().size() + ",";
        if (r.faces().isEmpty()) {
            truth.write(prefix + ",,,,\n");
        }
        for (FrameRenderer.Face f : r.faces()) {
            truth.write(prefix + f.customer() + "," + f.photo().name() + "," + f.x() + ","
                    + Math.max(0, Math.min(FrameRenderer.HEIGHT - f.size(), f.y())) + "," + f.size() + "\n");
        }
    }

    /** Command-line arguments. */
    record Args(Path root, List<String> stores, Duration interval, long frames, long seed, int dayFrames, Path faces) {

        static Args parse(String[] args) {
            List<String> positional = new ArrayList<>();
            long frames = -1;
            long seed = 42;
            int dayFrames = DEFAULT_DAY_FRAMES;
            Path faces = null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.startsWith("--")) {
                    String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                    String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                            : (i + 1 < args.length ? args[++i] : null);
                    if (value == null) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    switch (name) {
                        case "--frames" -> frames = positiveLong(name, value);
                        case "--seed" -> seed = parseLong(name, value);
                        case "--day-frames" -> dayFrames = (int) positiveLong(name, value);
                        case "--faces" -> faces = Path.of(value);
                        default -> throw new IllegalArgumentException("unknown option " + name);
                    }
                } else {
                    positional.add(arg);
                }
            }
            if (positional.size() != 3) {
                throw new IllegalArgumentException("expected ROOT_DIR STORE_IDS INTERVAL_SECONDS, got " + positional);
            }
            List<String> stores = List.of(positional.get(1).split(",")).stream().map(String::trim)
                    .filter(s -> !s.isEmpty()).toList();
            for (String s : stores) {
                if (!s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                    throw new IllegalArgumentException("'" + s + "' is not a valid store id");
                }
            }
            if (stores.isEmpty()) {
                throw new IllegalArgumentException("STORE_IDS lists no store");
            }
            double seconds;
            try {
                seconds = Double.parseDouble(positional.get(2));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("INTERVAL_SECONDS '" + positional.get(2) + "' is not a number");
            }
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("INTERVAL_SECONDS must not be negative");
            }
            if (dayFrames < 2 * StoreDayPlan.MAX_STAY + 4) {
                throw new IllegalArgumentException("--day-frames must be at least " + (2 * StoreDayPlan.MAX_STAY + 4));
            }
            return new Args(Path.of(positional.get(0)), stores, Duration.ofMillis(Math.round(seconds * 1000)), frames,
                    seed, dayFrames, faces);
        }

        private static long positiveLong(String name, String value) {
            long v = parseLong(name, value);
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be positive: " + value);
            }
            return v;
        }

        private static long parseLong(String name, String value) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + value + "' is not a whole number");
            }
        }
    }
}
