package com.rva.application.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import com.rva.recognition.Gallery;
import com.rva.recognition.Match;
import com.rva.recognition.Vectors;

/**
 * Decides match-or-enrol so that two crops of one new face processed at the same time do not create two
 * customers. A new template reaches the {@link Gallery} only after its transaction commits (a rollback must
 * leave no phantom), so until then it is kept here as <em>pending</em> and every decision sees it:
 * <ul>
 * <li>the gallery scan runs without a lock; only a crop about to be enrolled takes the enrolment lock,
 * re-checks the gallery (if it grew meanwhile) and the pending templates, and enrols under the lock;</li>
 * <li>a crop whose best match is another transaction's pending template waits (bounded) until that
 * transaction ends, then decides again: attached if it committed, enrolled if it rolled back.</li>
 * </ul>
 * Plain Java: the EJB side supplies transaction keys and calls {@link #completed} after completion.
 */
public final class EnrolmentCoordinator {

    /** Creates the customer and template (inside the enrolment lock) and returns their ids. */
    @FunctionalInterface
    public interface Enroler {
        Enrolment enrol();
    }

    /** Ids of a newly enrolled customer and its first template. */
    public record Enrolment(long customerId, long templateId) {
    }

    /**
     * The decision for one crop.
     *
     * @param enrolled whether a new customer was enrolled
     * @param customerId the customer the crop belongs to
     * @param similarity similarity to that customer when attached; when enrolled, the best similarity to
     *        any other customer ({@code NaN} if there was none)
     */
    public record Decision(boolean enrolled, long customerId, float similarity) {
    }

    private record Pending(Object txKey, long customerId, long templateId, float[] vector, String modelVersion,
            CompletableFuture<Boolean> settled) {
    }

    private final Gallery gallery;
    private final Duration maxWait;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<Pending> pending = new ArrayList<>(); // guarded by lock

    public EnrolmentCoordinator(Gallery gallery, Duration maxWait) {
        this.gallery = Objects.requireNonNull(gallery, "gallery");
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /**
     * Attaches the crop to the most similar customer at or above {@code threshold}, or enrols a new one with
     * {@code enroler} and keeps its template pending until {@link #completed} is called for {@code txKey}.
     *
     * @throws IllegalStateException when another transaction's pending enrolment of this face does not
     *         finish within the wait limit (the caller's transaction should roll back and be retried)
     */
    public Decision matchOrEnrol(float[] vector, String modelVersion, double threshold, Object txKey,
            Enroler enroler) {
        Objects.requireNonNull(txKey, "txKey");
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            int sizeBefore = gallery.size();
            Optional<Match> known = gallery.bestMatch(vector, modelVersion);
            if (known.isPresent() && known.get().similarity() >= threshold) {
                return new Decision(false, known.get().customerId(), known.get().similarity());
            }
            Pending waitFor;
            lock.lock();
            try {
                if (gallery.size() != sizeBefore) {
                    // templates were committed since the scan: one of them may be this face
                    known = gallery.bestMatch(vector, modelVersion);
                }
                float knownSimilarity = known.map(Match::similarity).orElse(Float.NaN);
                Pending closest = null;
                float closestSimilarity = Float.NEGATIVE_INFINITY;
                for (Pending p : pending) {
                    if (p.modelVersion.equals(modelVersion)) {
                        float s = Vectors.dot(vector, p.vector);
                        if (s > closestSimilarity) {
                            closestSimilarity = s;
                            closest = p;
                        }
                    }
                }
                boolean pendingWins = closest != null && closestSimilarity >= threshold
                        && !(knownSimilarity >= closestSimilarity);
                if (pendingWins && closest.txKey.equals(txKey)) {
                    return new Decision(false, closest.customerId, closestSimilarity);
                }
                if (!pendingWins && known.isPresent() && knownSimilarity >= threshold) {
                    return new Decision(false, known.get().customerId(), knownSimilarity);
                }
                if (!pendingWins) {
                    Enrolment e = enroler.enrol();
                    pending.add(new Pending(txKey, e.customerId(), e.templateId(), vector.clone(), modelVersion,
                            new CompletableFuture<>()));
                    float bestOther = Math.max(Float.isNaN(knownSimilarity) ? Float.NEGATIVE_INFINITY : knownSimilarity,
                            closestSimilarity);
                    return new Decision(true, e.customerId(), Float.isInfinite(bestOther) ? Float.NaN : bestOther);
                }
                waitFor = closest;
            } finally {
                lock.unlock();
            }
            awaitSettled(waitFor, deadline);
        }
    }

    private void awaitSettled(Pending other, long deadline) {
        long remaining = deadline - System.nanoTime();
        try {
            other.settled.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Another transaction enrolling the same face (customer "
                    + other.customerId + ") did not finish within " + maxWait.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for a concurrent enrolment", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Ends the pending enrolments of a transaction: committed templates join the gallery, rolled-back ones
     * vanish. Idempotent.
     */
    public void completed(Object txKey, boolean committed) {
        List<Pending> settled = new ArrayList<>();
        lock.lock();
        try {
            for (Iterator<Pending> it = pending.iterator(); it.hasNext();) {
                Pending p = it.next();
                if (p.txKey.equals(txKey)) {
                    if (committed) {
                        // into the gallery before leaving the pending list, so it is never in neither
                        gallery.add(p.customerId, p.templateId, p.vector, p.modelVersion);
                    }
                    it.remove();
                    settled.add(p);
                }
            }
        } finally {
            lock.unlock();
        }
        settled.forEach(p -> p.settled.complete(committed));
    }

    /** Enrolments waiting for their transaction to end. */
    public int pendingCount() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }
}
