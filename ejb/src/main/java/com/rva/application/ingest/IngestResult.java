package com.rva.application.ingest;

/**
 * What {@link IngestService#ingest} did with a crop.
 *
 * @param outcome attached to a known customer, enrolled a new one, or ignored as already stored
 * @param customerId the customer of the sighting ({@code null} for a duplicate)
 * @param sightingId the new sighting ({@code null} for a duplicate)
 * @param visitId the visit the sighting belongs to ({@code null} for a duplicate)
 * @param similarity for an attached crop the similarity to its customer; for an enrolment the best
 *        similarity to any known customer ({@code NaN} when the gallery was empty)
 */
public record IngestResult(Outcome outcome, Long customerId, Long sightingId, Long visitId, float similarity) {

    /** What happened to a crop. */
    public enum Outcome {
        ATTACHED, ENROLLED, DUPLICATE,
        /** Matches an erased customer's template: dropped, not enrolled, counted as a rejection (ERASED_BLOCKED). */
        BLOCKED
    }

    static IngestResult blocked(float similarity) {
        return new IngestResult(Outcome.BLOCKED, null, null, null, similarity);
    }

    static IngestResult duplicate() {
        return new IngestResult(Outcome.DUPLICATE, null, null, null, Float.NaN);
    }
}
