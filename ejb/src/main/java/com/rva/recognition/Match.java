package com.rva.recognition;

/**
 * The closest template to a query in a {@link Gallery}.
 *
 * @param customerId the customer the template belongs to
 * @param templateId the template's id, or {@code null} when it was added without one
 * @param similarity cosine similarity in [-1, 1]
 */
public record Match(long customerId, Long templateId, float similarity) {
}
