package com.rva.application.analytics;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the read side is asked about: visits that <em>started</em> in {@code [fromUtc, toUtc)} in the given
 * stores (by store code; empty means all stores). A visit that started before {@code fromUtc} and is still
 * going on inside the range is not counted, so every visit belongs to exactly one range of a partition.
 */
public record VisitQuery(LocalDateTime fromUtc, LocalDateTime toUtc, SortedSet<String> storeCodes)
        implements Serializable {

    public VisitQuery {
        Objects.requireNonNull(fromUtc, "fromUtc");
        Objects.requireNonNull(toUtc, "toUtc");
        if (!fromUtc.isBefore(toUtc)) {
            throw new IllegalArgumentException("The range is empty: " + fromUtc + " is not before " + toUtc);
        }
        storeCodes = Collections.unmodifiableSortedSet(new TreeSet<>(storeCodes == null ? Collections.emptySet() : storeCodes));
    }

    public static VisitQuery of(LocalDateTime fromUtc, LocalDateTime toUtc, Collection<String> storeCodes) {
        return new VisitQuery(fromUtc, toUtc, storeCodes == null ? null : new TreeSet<>(storeCodes));
    }

    public boolean allStores() {
        return storeCodes.isEmpty();
    }
}
