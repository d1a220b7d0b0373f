package com.rva.collector;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition in tests of background work. */
public final class Await {

    private Await() {
    }

    public static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, what, 20);
    }

    public static void awaitTrue(BooleanSupplier condition, String what, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
