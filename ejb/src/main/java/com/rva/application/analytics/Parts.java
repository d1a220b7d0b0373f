package com.rva.application.analytics;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * Runs the parts of one piece of work (a {@link CustomerDayMerge} pass) on an executor and the calling thread.
 * <p>
 * Parts 1.. are handed to the executor (in the server the container's {@code ManagedExecutorService}), part 0 runs in
 * the calling thread, which then runs every part no executor thread has started yet itself: so the work finishes even
 * when the executor is busy, saturated or refuses it, never waiting for a queue. Each part runs exactly once. The
 * first failure of any part is thrown to the caller, after every started part has ended.
 */
final class Parts {

    private Parts() {
    }

    static void run(Executor executor, int parts, IntConsumer body) {
        if (parts <= 1 || executor == null) {
            for (int p = 0; p < Math.max(parts, 1); p++) {
                body.accept(p);
            }
            return;
        }
        AtomicBoolean[] claimed = new AtomicBoolean[parts];
        for (int p = 0; p < parts; p++) {
            claimed[p] = new AtomicBoolean();
        }
        CountDownLatch done = new CountDownLatch(parts);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable[] tasks = new Runnable[parts];
        for (int p = 0; p < parts; p++) {
            int part = p;
            tasks[p] = () -> {
                if (!claimed[part].compareAndSet(false, true)) {
                    return; // the other side runs it (or ran it)
                }
                try {
                    body.accept(part);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            };
        }
        for (int p = 1; p < parts; p++) {
            try {
                executor.execute(tasks[p]);
            } catch (RejectedExecutionException e) {
                // run below, in this thread
            }
        }
        for (int p = 0; p < parts; p++) {
            tasks[p].run();
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while merging", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }
}
