package com.rva.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rva.collector.config.CameraSettings;
import com.rva.collector.config.CollectorSettings;
import com.rva.collector.send.Outbox;
import com.rva.collector.source.Frame;
import com.rva.collector.source.FrameSource;
import com.rva.collector.state.FrameSeqStore;
import com.rva.collector.vision.FaceCropper;
import com.rva.collector.vision.OpenCvNatives;
import com.rva.collector.vision.QualityGate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox committer's group commit: frames of one tick share a transaction, and the tick's end ends the linger. */
class FrameCommitterTest {

    @TempDir
    Path tmp;

    @Test
    void theEndOfACameraTickStoresItsFramesWithoutWaitingOutTheLinger() throws Exception {
        OpenCvNatives.load();
        byte[] amy = Files.readAllBytes(SharedFaces.photos("amy").get(0));
        byte[] bob = Files.readAllBytes(SharedFaces.photos("bernadette").get(0));
        FrameSource twoFrames = new FrameSource() {
            @Override
            public List<Frame> poll() {
                Instant now = Instant.now();
                return List.of(Frame.inMemory("frame-1", now, amy), Frame.inMemory("frame-2", now, bob));
            }

            @Override
            public String describe() {
                return "two photos";
            }
        };
        try (FrameSeqStore seq = new FrameSeqStore(tmp.resolve("state"));
                Outbox outbox = new Outbox(tmp.resolve("outbox"), "tcp://127.0.0.1:9?httpUpgradeEnabled=true",
                        "test", "test", true, CollectorSettings.DEFAULT_OUTBOX_MAX_MB * 1024L * 1024L);
                // a linger far longer than the test may take: only the end of the tick can make the transaction
                FrameCommitter committer = new FrameCommitter("store_test", seq, outbox, Duration.ofHours(1))) {
            CameraWorker worker = new CameraWorker(new CameraSettings("door", null, null, null, null,
                    Duration.ofSeconds(10)), twoFrames, new FaceCropper(QualityGate.defaults()), committer);

            worker.tick();

            assertTrue(committer.awaitIdle(Duration.ofSeconds(60)),
                    committer.pendingFrames() + " frame(s) still waiting for the linger after the tick ended");
            FrameCommitter.Times times = committer.times();
            assertEquals(2, times.frames(), "both frames stored");
            assertEquals(1, times.batches(), "the two frames of one tick share one transaction");
            assertEquals(0, committer.pendingCrops());

            worker.tick(); // the next tick: its own transaction, again without lingering
            assertTrue(committer.awaitIdle(Duration.ofSeconds(60)), "the second tick's frames stored");
            assertEquals(4, committer.times().frames());
            assertEquals(2, committer.times().batches());
        }
    }
}
