package com.rva.recognition;

import java.util.Optional;

/**
 * The searchable set of face templates. Templates of different model versions live side by side and are
 * never compared with each other (DESIGN §4). Implementations are thread-safe.
 */
public interface Gallery {

    /**
     * The template most similar to {@code query} among those of {@code modelVersion}.
     *
     * @param query an L2-normalised embedding
     * @return empty when the gallery has no template of that model version
     */
    Optional<Match> bestMatch(float[] query, String modelVersion);

    /**
     * Adds a template.
     *
     * @param templateId the template's database id, or {@code null}
     * @param vector an L2-normalised embedding; the gallery keeps its own copy
     * @throws IllegalArgumentException when the vector's length differs from the others of its model version
     */
    void add(long customerId, Long templateId, float[] vector, String modelVersion);

    /**
     * Removes a template (replaced by a better one, or erased).
     *
     * @return whether the gallery held it
     */
    boolean remove(long templateId);

    /** Number of templates, all model versions together. */
    int size();
}
