package com.rva.collector;

import com.rva.collector.config.CameraSettings;
import com.rva.collector.config.CollectorSettings;
import com.rva.collector.health.CollectorStatus;
import com.rva.collector.health.HealthServer;
import com.rva.collector.send.Outbox;
import com.rva.collector.source.FrameSource;
import com.rva.collector.state.FrameSeqStore;
import com.rva.collector.vision.FaceCropper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running collector: one schedule per camera (its interval plus a small random jitter, so cameras
 * do not all fire together), one shared face cropper, the store-and-forward {@link Outbox}, and a periodic
 * stats line per camera.
 */
public final class EdgeCollector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeCollector.class);

    private final CollectorSettings settings;
    private final FrameSeqStore seqStore;
    private final Outbox outbox;
    private final FrameCommitter committer;
    private final List<CameraWorker> workers = new ArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final Map<String, long[]> lastStats = new HashMap<>();
    private volatile boolean running;
    private final Instant startedAt = Instant.now();
    private HealthServer health;

    /**
     * @throws IllegalStateException when another collector holds {@code state.dir}
     * @throws IOException           when {@code state.dir} cannot be used
     */
    public EdgeCollector(CollectorSettings settings) throws IOException {
        this.settings = settings;
        FaceCropper cropper = new FaceCropper(settings.scoreThreshold(), settings.minFaceSizePx());
        this.seqStore = new FrameSeqStore(settings.stateDir());
        Outbox opened;
        try {
            opened = new Outbox(settings.stateDir().resolve("outbox"), settings.connectorUrl(), settings.serverUser(),
                    settings.serverPassword(), settings.legacyQueuePrefix(), settings.outboxMaxBytes());
        } catch (Exception e) {
            seqStore.close();
            throw new IOException("cannot open the outbox in " + settings.stateDir().resolve("outbox") + ": " + e, e);
        }
        this.outbox = opened;
        this.committer = new FrameCommitter(settings.storeId(), seqStore, outbox);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (CameraSettings camera : settings.cameras()) {
            workers.add(new CameraWorker(camera, FrameSource.of(camera, http), cropper, committer));
        }
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(Math.min(workers.size(), 4) + 1, r -> {
            Thread t = new Thread(r, "camera-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // at shutdown: finish the ticks that are running, start no new ones
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        pool.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.scheduler = pool;
    }

    public EdgeCollector start() {
        running = true;
        for (CameraWorker w : workers) {
            Duration interval = w.settings().interval();
            scheduleTick(w, jitter(interval));
            LOG.info("Camera {}: {} every {} s", w.cameraId(), w.settings().describeSource(), interval.toSeconds());
        }
        long stats = settings.statsInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::logStats, stats, stats, TimeUnit.MILLISECONDS);
        long beat = settings.heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::heartbeat, Math.min(beat, 5_000), beat, TimeUnit.MILLISECONDS);
        if (settings.httpPort() >= 0) {
            try {
                health = new HealthServer(settings.httpAddress(), settings.httpPort(), this::status);
            } catch (IOException | RuntimeException e) {
                // the cameras matter more than the local endpoints: report and go on
                LOG.error("Cannot serve /health and /metrics on {}:{}: {}; running without them",
                        settings.httpAddress(), settings.httpPort(), e.toString());
            }
        }
        LOG.info("Edge collector {} started for store {} with {} camera(s)", CollectorVersion.get(),
                settings.storeId(), workers.size());
        return this;
    }

    private void scheduleTick(CameraWorker w, long delayMillis) {
        if (!running) {
            return;
        }
        scheduler.schedule(() -> {
            try {
                w.tick();
            } finally {
                scheduleTick(w, w.settings().interval().toMillis() + jitter(w.settings().interval()));
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    /** Up to ±10 % of the interval, at most ±2 s. */
    static long jitter(Duration interval) {
        long max = Math.min(2_000, interval.toMillis() / 10);
        return max == 0 ? 0 : ThreadLocalRandom.current().nextLong(-max, max + 1);
    }

    /** One INFO line per camera: activity since the last line, and what is waiting. */
    void logStats() {
        for (CameraWorker w : workers) {
            long[] now = {w.frames.get(), w.faces.get(), outbox.enqueuedFor(w.cameraId()), w.badFrames.get(),
                w.sourceFailures.get()};
            long[] before = lastStats.getOrDefault(w.cameraId(), new long[now.length]);
            LOG.info("Camera {}: frames={} faces={} stored={} badFrames={} sourceFailures={} | dropped since start={}",
                    w.cameraId(), now[0] - before[0], now[1] - before[1], now[2] - before[2], now[3] - before[3],
                    now[4] - before[4], outbox.droppedFor(w.cameraId()));
            lastStats.put(w.cameraId(), now);
        }
        LOG.info("Outbox: {} crop(s) waiting ({} kB of {} kB), {} forwarded since start, server {}", outbox.backlog(),
                outbox.backlogBytes() / 1024, outbox.maxBytes() / 1024, outbox.forwarded(),
                outbox.connected() ? "connected" : "NOT connected");
    }

    /** A snapshot of everything the collector reports (health, metrics, heartbeat). */
    public CollectorStatus status() {
        List<CollectorStatus.Camera> cameras = new ArrayList<>();
        for (CameraWorker w : workers) {
            String failure = w.lastFailure();
            cameras.add(new CollectorStatus.Camera(w.cameraId(), w.settings().describeSource(), failure == null, failure,
                    w.lastFrameAt(), w.frames.get(), w.faces.get(), outbox.enqueuedFor(w.cameraId()),
                    outbox.droppedFor(w.cameraId()), w.badFrames.get(), w.sourceFailures.get(),
                    w.outboxFailures.get(), w.gateRejects()));
        }
        return new CollectorStatus(settings.collectorId(), settings.storeId(), CollectorVersion.get(),
                FaceCropper.detectorModel(), startedAt, Instant.now(), outbox.backlog(), outbox.backlogBytes(),
                outbox.maxBytes(), outbox.oldestUndelivered(), outbox.forwarded(), outbox.connected(),
                committer.pendingFrames(), committer.pendingCrops(), cameras);
    }

    /** Queues a heartbeat for the server; the outbox forwards it whenever the server is reachable. */
    void heartbeat() {
        try {
            outbox.sendHeartbeat(status().toJson(), settings.storeId(), settings.collectorId());
        } catch (Exception e) {
            LOG.warn("Cannot queue the heartbeat: {}", e.toString());
        }
    }

    /** The port of /health and /metrics, or -1 when they are off or failed to start. */
    public int httpPort() {
        return health == null ? -1 : health.port();
    }

    public Outbox outbox() {
        return outbox;
    }

    List<CameraWorker> workers() {
        return workers;
    }

    public CollectorSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        running = false;
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(15, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        workers.forEach(CameraWorker::close);
        // what the cameras handed over is stored before the outbox closes
        committer.close();
        logStats();
        if (health != null) {
            health.close();
        }
        outbox.close();
        try {
            seqStore.close();
        } catch (IOException e) {
            LOG.debug("Releasing the state folder lock failed: {}", e.toString());
        }
        LOG.info("Edge collector stopped");
    }
}
