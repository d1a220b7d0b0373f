package com.rva.recognition;

import java.util.List;
import java.util.Objects;

/**
 * The templates of one customer and one model version, as consolidation sees them.
 *
 * @param customerId the customer
 * @param vectors    its L2-normalised templates (at least one), all of one model version
 */
public record TemplateSet(long customerId, List<float[]> vectors) {

    public TemplateSet {
        Objects.requireNonNull(vectors, "vectors");
        if (vectors.isEmpty()) {
            throw new IllegalArgumentException("customer " + customerId + " has no template");
        }
        vectors = List.copyOf(vectors);
    }
}
