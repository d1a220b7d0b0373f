package com.rva.collector;

import com.rva.collector.config.CameraSettings;
import com.rva.collector.send.Outbox;
import com.rva.collector.source.Frame;
import com.rva.collector.source.FrameSource;
import com.rva.collector.vision.FaceCrop;
import com.rva.collector.vision.FaceCropper;
import com.rva.collector.vision.QualityGate;
import com.rva.collector.vision.FrameDecodeException;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera's tick: take the frames its source has, crop faces and hand the result to the {@link FrameCommitter},
 * which numbers the frame and stores its crops in the {@link Outbox}. A frame is marked done (a folder frame
 * deleted) and counted only once its crops are safe in the outbox or were dropped and counted at the outbox's disk
 * cap. A failing source is logged (once per kind of failure, not every tick) and retried at the next tick.
 */
final class CameraWorker {

    private static final Logger LOG = LoggerFactory.getLogger(CameraWorker.class);

    private final CameraSettings camera;
    private final FrameSource source;
    private final FaceCropper cropper;
    private final FrameCommitter committer;
    /** Replay keys of this camera's frames handed to the committer and not yet stored: not analysed twice. */
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    final AtomicLong frames = new AtomicLong();
    final AtomicLong faces = new AtomicLong();
    final AtomicLong badFrames = new AtomicLong();
    final AtomicLong sourceFailures = new AtomicLong();
    /** Frames whose crops the outbox could not store (local broker failure); folder frames are retried. */
    final AtomicLong outboxFailures = new AtomicLong();
    /** Faces the quality gate rejected in this camera's frames, per reason (counted once a frame is done). */
    private final Map<QualityGate.Reason, LongAdder> gateRejects = new EnumMap<>(QualityGate.Reason.class);
    private volatile String lastFailure;
    private volatile Instant lastFrameAt;
    private boolean warnedFull;

    CameraWorker(CameraSettings camera, FrameSource source, FaceCropper cropper, FrameCommitter committer) {
        this.camera = camera;
        this.source = source;
        this.cropper = cropper;
        this.committer = committer;
        for (QualityGate.Reason r : QualityGate.Reason.values()) {
            gateRejects.put(r, new LongAdder());
        }
    }
    /** Faces rejected by the quality gate in this camera's frames since start, per reason (every reason listed). */
    Map<String, Long> gateRejects() {
        Map<String, Long> counts = new LinkedHashMap<>();
        gateRejects.forEach((reason, n) -> counts.put(reason.name(), n.sum()));
        return counts;
    }

    String cameraId() {
        return camera.id();
    }

    CameraSettings settings() {
        return camera;
    }

    /** Stops the source's background work, if it has any (streams). */
    void close() {
        if (source instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("Camera {}: closing the source failed: {}", camera.id(), e.toString());
            }
        }
    }

    /** The source's last failure, or null while it works. */
    String lastFailure() {
        return lastFailure;
    }

    /** When the last frame was processed, or null. */
    Instant lastFrameAt() {
        return lastFrameAt;
    }

    /** Processes whatever the source has now. Never throws: one camera's trouble must not stop the others. */
    void tick() {
        List<Frame> available;
        try {
            available = source.poll();
        } catch (IOException | RuntimeException e) {
            sourceFailures.incrementAndGet();
            String failure = e.toString();
            if (!Objects.equals(failure, lastFailure)) {
                LOG.warn("Camera {}: source {} failed: {}; retrying every {} s", camera.id(), source.describe(),
                        failure, camera.interval().toSeconds());
                lastFailure = failure;
            } else {
                LOG.debug("Camera {}: source still failing: {}", camera.id(), failure);
            }
            return;
        }
        if (lastFailure != null) {
            LOG.info("Camera {}: source {} works again", camera.id(), source.describe());
            lastFailure = null;
        }
        boolean processed = false;
        for (Frame frame : available) {
            if (Thread.currentThread().isInterrupted()) {
                return; // shutting down: the remaining files stay for the next start
            }
            String key = frame.replayKey();
            if (key != null && inFlight.contains(key)) {
                continue; // analysed already, its crops are being stored
            }
            if (!process(frame)) {
                return;
            }
            processed = true;
        }
        if (processed) {
            try {
                committer.flush(); // nothing more this tick: store what was handed over without lingering
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopping: the committer stores what it has while closing
            }
        }
    }

    /** Analyses a frame and hands it to the committer; false when the camera thread is stopping. */
    private boolean process(Frame frame) {
        try {
            byte[] bytes = frame.read();
            FaceCropper.Result result = cropper.analyse(bytes);
            String key = frame.replayKey();
            if (key != null) {
                inFlight.add(key);
            }
            try {
                committer.submit(new FrameCommitter.Analysed(this, frame, result, bytes.length));
            } catch (InterruptedException e) {
                release(frame);
                Thread.currentThread().interrupt();
                LOG.debug("Camera {}: interrupted while handing over {}; left for the next start", camera.id(),
                        frame.name());
                return false;
            } catch (IllegalStateException e) {
                release(frame);
                LOG.debug("Camera {}: {}", camera.id(), e.getMessage());
                return false;
            }
            return true;
        } catch (FrameDecodeException e) {
            badFrames.incrementAndGet();
            LOG.warn("Camera {}: skipping frame {}: {}", camera.id(), frame.name(), e.getMessage());
        } catch (ClosedByInterruptException e) {
            LOG.debug("Camera {}: interrupted while reading {}; left for the next start", camera.id(), frame.name());
            return false;
        } catch (IOException | RuntimeException e) {
            badFrames.incrementAndGet();
            LOG.warn("Camera {}: cannot process frame {}: {}", camera.id(), frame.name(), e.toString());
        }
        done(frame);
        return true;
    }

    /**
     * Called by the committer once the frame's crops are stored in the outbox (or dropped and counted at its cap,
     * or found there already): counts the frame and marks it done.
     */
    void stored(FrameCommitter.Analysed a, long seq, Outbox.Outcome outcome, Outbox outbox) {
        Frame frame = a.frame();
        List<FaceCrop> crops = a.result().crops();
        if (outcome == Outbox.Outcome.DROPPED) {
            if (!warnedFull) {
                LOG.warn("Camera {}: {}", camera.id(), outbox.lastFull());
                warnedFull = true;
            } else {
                LOG.debug("Camera {}: {}", camera.id(), outbox.lastFull());
            }
        } else if (!crops.isEmpty()) {
            warnedFull = false;
        }
        frames.incrementAndGet();
        faces.addAndGet(crops.size());
        for (FaceCropper.Rejection r : a.result().rejections()) {
            gateRejects.get(r.reason()).increment();
        }
        lastFrameAt = Instant.now();
        if (LOG.isDebugEnabled()) {
            LOG.debug("Camera {}: frame #{} {} ({} bytes) -> {} face(s){}", camera.id(), seq, frame.name(),
                    a.bytes(), crops.size(), scores(crops));
        }
        done(frame);
        release(frame);
    }

    /** Called by the committer when the outbox could not store the frame: it stays, to be read again. */
    void notStored(FrameCommitter.Analysed a, Exception e) {
        outboxFailures.incrementAndGet();
        LOG.warn("Camera {}: cannot store the crops of frame {} in the outbox: {}", camera.id(), a.frame().name(),
                e.toString());
        release(a.frame());
    }

    private void release(Frame frame) {
        String key = frame.replayKey();
        if (key != null) {
            inFlight.remove(key);
        }
    }

    private void done(Frame frame) {
        try {
            frame.done();
        } catch (IOException e) {
            LOG.debug("Camera {}: cleanup of {} failed: {}", camera.id(), frame.name(), e.toString());
        }
    }

    private static String scores(List<FaceCrop> crops) {
        if (crops.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(", scores");
        for (FaceCrop c : crops) {
            sb.append(String.format(" %.2f", c.detScore()));
        }
        return sb.toString();
    }
}
