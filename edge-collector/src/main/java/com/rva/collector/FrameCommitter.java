package com.rva.collector;

import com.rva.collector.send.Outbox;
import com.rva.collector.send.OutgoingCrop;
import com.rva.collector.source.Frame;
import com.rva.collector.state.FrameSeqStore;
import com.rva.collector.vision.FaceCrop;
import com.rva.collector.vision.FaceCropper;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores analysed frames in the {@link Outbox} off the camera threads, several frames per journal sync.
 *
 * <p>A camera thread decodes a frame, finds and crops its faces and {@link #submit}s the result to a bounded
 * queue; it goes on with its next frame at once. This one thread takes whatever the queue holds (up to
 * {@value #MAX_BATCH} frames), numbers those frames with at most one durable write of the {@link FrameSeqStore}, stores
 * all their crops in one outbox transaction (one journal sync), and only then marks each frame done (a folder
 * frame is deleted) and counts it. So the guarantee is the one of a frame-by-frame commit: a frame's crops are
 * <em>stored</em> — survive {@code kill -9} and power cuts — before the collector counts the frame or deletes its
 * file; what waits in the queue is <em>pending</em>, not stored (reported as {@code pendingFrames} /
 * {@code pendingCrops} in {@code /health}, the heartbeat and {@code /metrics}), and a folder frame still pending at
 * a crash is simply read again after the restart. Frames from snapshots and streams are in memory: one pending at
 * a crash is lost like one being analysed at that moment.
 *
 * <p>The queue holds at most {@value #CAPACITY} frames: when the disk is slower than the cameras, a camera
 * thread waits at {@link #submit} (time counted) instead of piling up frames in memory.
 */
final class FrameCommitter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameCommitter.class);
    static final int CAPACITY = 16;
    static final int MAX_BATCH = 16;
    /**
     * How long the first frame of a transaction waits for more frames to share it, at most: a camera that has
     * handed over the last frame of its tick says so ({@link #flush}) and the transaction is made at once.
     */
    static final Duration LINGER = Duration.ofMillis(Long.getLong("rva.outbox.linger-ms", 100));

    /** A frame analysed by a camera thread, waiting to be stored. */
    record Analysed(CameraWorker worker, Frame frame, FaceCropper.Result result, int bytes) {
    }

    /** Queued by {@link #flush}: not a frame, the end of a camera's tick. */
    private static final Analysed FLUSH = new Analysed(null, null, null, 0);

    /** Where the committer's time goes, summed since start (nanoseconds), and how many transactions it made. */
    record Times(long seqNanos, long outboxNanos, long doneNanos, long submitWaitNanos, long batches, long frames,
            long seqCpuNanos, long outboxCpuNanos) {
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private final Duration linger;
    private final String storeId;
    private final FrameSeqStore seqStore;
    private final Outbox outbox;
    private final BlockingQueue<Analysed> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Object idle = new Object();
    /** Frames submitted and not yet stored or given up (queued or in the transaction being made). */
    private long pendingFrames;
    private final AtomicLong pendingCrops = new AtomicLong();
    private final LongAdder seqNanos = new LongAdder();
    private final LongAdder outboxNanos = new LongAdder();
    private final LongAdder doneNanos = new LongAdder();
    private final LongAdder submitWaitNanos = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder seqCpuNanos = new LongAdder();
    private final LongAdder outboxCpuNanos = new LongAdder();
    private final LongAdder committedFrames = new LongAdder();
    private final Thread thread;
    private volatile boolean closing;

    FrameCommitter(String storeId, FrameSeqStore seqStore, Outbox outbox) {
        this(storeId, seqStore, outbox, LINGER);
    }

    FrameCommitter(String storeId, FrameSeqStore seqStore, Outbox outbox, Duration linger) {
        this.linger = linger;
        this.storeId = storeId;
        this.seqStore = seqStore;
        this.outbox = outbox;
        this.thread = new Thread(this::run, "outbox-committer");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Hands an analysed frame over to be stored; waits while the queue is full.
     *
     * @throws InterruptedException when the camera thread is interrupted while waiting (shutting down): the frame
     *                              was not taken, it stays (a folder frame is read again at the next start)
     */
    void submit(Analysed frame) throws InterruptedException {
        if (closing) {
            throw new IllegalStateException("the collector is stopping: frame " + frame.frame().name() + " not taken");
        }
        synchronized (idle) {
            pendingFrames++;
        }
        pendingCrops.addAndGet(frame.result().crops().size());
        long t0 = System.nanoTime();
        try {
            queue.put(frame);
        } catch (InterruptedException e) {
            finished(1, frame.result().crops().size());
            throw e;
        } finally {
            submitWaitNanos.add(System.nanoTime() - t0);
        }
    }

    /**
     * Says that the calling camera has no more frames for now (the end of its tick), so the frames queued so far are
     * stored without waiting out the rest of {@link #LINGER}: lingering only pays while frames keep coming, and a
     * camera that takes one snapshot every 10–30 s would otherwise delay each of its frames by the whole linger.
     *
     * @throws InterruptedException when the camera thread is interrupted while the queue is full (shutting down)
     */
    void flush() throws InterruptedException {
        if (!closing) {
            queue.put(FLUSH);
        }
    }

    /** Frames handed over and not yet stored (queued or being committed). */
    long pendingFrames() {
        synchronized (idle) {
            return pendingFrames;
        }
    }

    /** Crops of the pending frames. */
    long pendingCrops() {
        return pendingCrops.get();
    }

    Times times() {
        return new Times(seqNanos.sum(), outboxNanos.sum(), doneNanos.sum(), submitWaitNanos.sum(), batches.sum(),
                committedFrames.sum(), seqCpuNanos.sum(), outboxCpuNanos.sum());
    }

    /** Waits until every frame handed over so far is stored (or given up); false on timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pendingFrames > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        return true;
    }

    private void finished(int frames, long crops) {
        pendingCrops.addAndGet(-crops);
        synchronized (idle) {
            pendingFrames -= frames;
            idle.notifyAll();
        }
    }

    private void run() {
        List<Analysed> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            Analysed first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                if (closing) {
                    break;
                }
                continue;
            }
            if (first == FLUSH) {
                continue; // its frames are stored already
            }
            batch.add(first);
            // group commit: frames that arrive within the linger of the first share its transaction and syncs, until a
            // camera says its tick has ended
            long until = System.nanoTime() + linger.toNanos();
            try {
                while (batch.size() < MAX_BATCH && !closing) {
                    queue.drainTo(batch, MAX_BATCH - batch.size());
                    long left = until - System.nanoTime();
                    if (batch.removeIf(a -> a == FLUSH) || batch.size() >= MAX_BATCH || left <= 0) {
                        break;
                    }
                    Analysed more = queue.poll(left, TimeUnit.NANOSECONDS);
                    if (more == null || more == FLUSH) {
                        break;
                    }
                    batch.add(more);
                }
            } catch (InterruptedException e) {
                commit(batch);
                batch.clear();
                break;
            }
            commit(batch);
            batch.clear();
        }
        List<Analysed> left = new ArrayList<>();
        queue.drainTo(left);
        left.removeIf(a -> a == FLUSH);
        if (!left.isEmpty()) {
            LOG.warn("Stopped with {} frame(s) not stored; folder frames are read again at the next start", left.size());
            finished(left.size(), left.stream().mapToLong(a -> a.result().crops().size()).sum());
        }
    }

    /** Numbers the frames, stores their crops in one transaction, then marks them done. Never throws. */
    private void commit(List<Analysed> batch) {
        long crops = batch.stream().mapToLong(a -> a.result().crops().size()).sum();
        try {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long[] seqs = number(batch);
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            List<List<OutgoingCrop>> frames = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                frames.add(outgoing(batch.get(i), seqs[i]));
            }
            List<Outbox.Outcome> outcomes = outbox.sendAll(frames);
            long t2 = System.nanoTime();
            seqCpuNanos.add(c1 - c0);
            outboxCpuNanos.add(THREADS.getCurrentThreadCpuTime() - c1);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).worker().stored(batch.get(i), seqs[i], outcomes.get(i), outbox);
            }
            long t3 = System.nanoTime();
            seqNanos.add(t1 - t0);
            outboxNanos.add(t2 - t1);
            doneNanos.add(t3 - t2);
            batches.increment();
            committedFrames.add(batch.size());
        } catch (JMSException | RuntimeException e) {
            // not stored: folder frames stay and are read again (same frameSeq) at a later tick
            for (Analysed a : batch) {
                a.worker().notStored(a, e);
            }
        } finally {
            finished(batch.size(), crops);
        }
    }

    /** The frames' numbers: at most one durable write per camera in the batch (none for keyless frames in reserve). */
    private long[] number(List<Analysed> batch) {
        Map<CameraWorker, List<Integer>> byCamera = new IdentityHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byCamera.computeIfAbsent(batch.get(i).worker(), w -> new ArrayList<>()).add(i);
        }
        long[] seqs = new long[batch.size()];
        for (Map.Entry<CameraWorker, List<Integer>> e : byCamera.entrySet()) {
            List<String> keys = new ArrayList<>(e.getValue().size());
            for (int i : e.getValue()) {
                keys.add(batch.get(i).frame().replayKey());
            }
            long[] n = seqStore.nextAll(e.getKey().cameraId(), keys);
            for (int k = 0; k < n.length; k++) {
                seqs[e.getValue().get(k)] = n[k];
            }
        }
        return seqs;
    }

    private List<OutgoingCrop> outgoing(Analysed a, long seq) {
        List<FaceCrop> crops = a.result().crops();
        List<OutgoingCrop> out = new ArrayList<>(crops.size());
        for (FaceCrop c : crops) {
            out.add(new OutgoingCrop(storeId, a.worker().cameraId(), a.frame().capturedAt(), seq, c.index(),
                    c.detScore(), c.quality(), FaceCropper.detectorModel(), CollectorVersion.get(), c.jpeg()));
        }
        return out;
    }

    /**
     * Stops taking frames and stores what was handed over already (waits up to {@code timeout}); what is still
     * queued then is left (folder frames are read again at the next start).
     */
    void close(Duration timeout) {
        closing = true;
        try {
            thread.join(timeout.toMillis());
            if (thread.isAlive()) {
                LOG.warn("The outbox committer did not finish within {} s; stopping it", timeout.toSeconds());
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
