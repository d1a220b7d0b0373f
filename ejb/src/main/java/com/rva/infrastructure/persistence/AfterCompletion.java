package com.rva.infrastructure.persistence;

import java.util.function.Consumer;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/** Work to do once the caller's JTA transaction has ended (committed or rolled back). */
public final class AfterCompletion {

    private AfterCompletion() {
    }

    /** Runs {@code outcome} with {@code true} when the caller's transaction committed, {@code false} otherwise. */
    public static void register(TransactionSynchronizationRegistry registry, Consumer<Boolean> outcome) {
        registry.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                outcome.accept(status == Status.STATUS_COMMITTED);
            }
        });
    }

    /** Runs {@code action} after the caller's transaction ends, whatever its outcome; at once when there is none. */
    public static void always(TransactionSynchronizationRegistry registry, Runnable action) {
        if (registry.getTransactionKey() == null) {
            action.run();
        } else {
            register(registry, committed -> action.run());
        }
    }
}
