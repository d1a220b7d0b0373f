package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.rva.application.ingest.EnrolmentCoordinator.Decision;
import com.rva.application.ingest.EnrolmentCoordinator.Enrolment;
import com.rva.recognition.ExactScanGallery;
import com.rva.recognition.Vectors;

class EnrolmentCoordinatorTest {

    private static final double THRESHOLD = 0.5;
    private static final float[] FACE_A = Vectors.normalised(new float[] {1, 0, 0, 0});
    private static final float[] FACE_A_AGAIN = Vectors.normalised(new float[] {1, 0.2f, 0, 0});
    private static final float[] FACE_B = Vectors.normalised(new float[] {0, 0, 1, 0});

    private final ExactScanGallery gallery = new ExactScanGallery();
    private final EnrolmentCoordinator coordinator = new EnrolmentCoordinator(gallery, Duration.ofSeconds(5));
    private final AtomicLong ids = new AtomicLong(100);
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private Decision decide(float[] face, Object tx) {
        return coordinator.matchOrEnrol(face, "m1", THRESHOLD, tx,
                () -> new Enrolment(ids.incrementAndGet(), ids.incrementAndGet()));
    }

    @Test
    void aNewFaceIsEnrolledAndJoinsTheGalleryOnlyWhenItsTransactionCommits() {
        Decision first = decide(FACE_A, "tx1");
        assertTrue(first.enrolled());
        assertTrue(Float.isNaN(first.similarity()), "nothing to compare with");
        assertEquals(0, gallery.size(), "not before the commit");
        assertEquals(1, coordinator.pendingCount());

        coordinator.completed("tx1", true);
        assertEquals(1, gallery.size());
        assertEquals(0, coordinator.pendingCount());

        Decision again = decide(FACE_A_AGAIN, "tx2");
        assertFalse(again.enrolled());
        assertEquals(first.customerId(), again.customerId());
        assertTrue(again.similarity() >= THRESHOLD);
    }

    @Test
    void aRolledBackEnrolmentLeavesNoPhantom() {
        Decision first = decide(FACE_A, "tx1");
        coordinator.completed("tx1", false);
        assertEquals(0, gallery.size());
        assertEquals(0, coordinator.pendingCount());
        Decision retry = decide(FACE_A, "tx2");
        assertTrue(retry.enrolled());
        assertTrue(retry.customerId() != first.customerId());
    }

    @Test
    void aTransactionSeesItsOwnPendingEnrolment() {
        Decision first = decide(FACE_A, "tx1");
        Decision second = decide(FACE_A_AGAIN, "tx1");
        assertFalse(second.enrolled());
        assertEquals(first.customerId(), second.customerId());
    }

    @Test
    void differentFacesDoNotWaitForEachOther() {
        Decision a = decide(FACE_A, "tx1");
        Decision b = decide(FACE_B, "tx2");
        assertTrue(a.enrolled());
        assertTrue(b.enrolled());
        assertTrue(a.customerId() != b.customerId());
        assertTrue(b.similarity() < THRESHOLD, "best other similarity is reported: " + b.similarity());
    }

    @Test
    void aConcurrentCropOfTheSameNewFaceWaitsAndThenAttachesInsteadOfEnrollingTwice() throws Exception {
        Decision first = decide(FACE_A, "tx1");
        CountDownLatch started = new CountDownLatch(1);
        Future<Decision> second = pool.submit(() -> {
            started.countDown();
            return decide(FACE_A_AGAIN, "tx2");
        });
        started.await();
        assertThrows(TimeoutException.class, () -> second.get(300, TimeUnit.MILLISECONDS),
                "waits while the first enrolment is uncommitted");
        coordinator.completed("tx1", true);
        Decision d = second.get(5, TimeUnit.SECONDS);
        assertFalse(d.enrolled());
        assertEquals(first.customerId(), d.customerId());
        assertEquals(1, gallery.size());
    }

    @Test
    void aConcurrentCropEnrolsItselfWhenTheOtherEnrolmentRollsBack() throws Exception {
        Decision first = decide(FACE_A, "tx1");
        Future<Decision> second = pool.submit(() -> decide(FACE_A_AGAIN, "tx2"));
        Thread.sleep(200);
        coordinator.completed("tx1", false);
        Decision d = second.get(5, TimeUnit.SECONDS);
        assertTrue(d.enrolled());
        assertTrue(d.customerId() != first.customerId());
        coordinator.completed("tx2", true);
        assertEquals(1, gallery.size());
    }

    @Test
    void manyConcurrentCropsOfOneNewFaceMakeOneCustomer() throws Exception {
        int crops = 16;
        CountDownLatch go = new CountDownLatch(1);
        java.util.List<Future<Decision>> results = new java.util.ArrayList<>();
        for (int i = 0; i < crops; i++) {
            String tx = "tx" + i;
            results.add(pool.submit(() -> {
                go.await();
                Decision d = decide(FACE_A_AGAIN, tx);
                Thread.sleep(5); // the rest of the transaction
                coordinator.completed(tx, true);
                return d;
            }));
        }
        go.countDown();
        long enrolled = 0;
        java.util.Set<Long> customers = new java.util.HashSet<>();
        for (Future<Decision> f : results) {
            Decision d = f.get(10, TimeUnit.SECONDS);
            enrolled += d.enrolled() ? 1 : 0;
            customers.add(d.customerId());
        }
        assertEquals(1, enrolled);
        assertEquals(1, customers.size());
        assertEquals(1, gallery.size());
    }

    @Test
    void givesUpWhenTheOtherTransactionNeverEnds() {
        EnrolmentCoordinator impatient = new EnrolmentCoordinator(gallery, Duration.ofMillis(200));
        impatient.matchOrEnrol(FACE_A, "m1", THRESHOLD, "tx1", () -> new Enrolment(1, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> impatient.matchOrEnrol(FACE_A_AGAIN, "m1", THRESHOLD, "tx2", () -> new Enrolment(3, 4)));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
    }
}
