package com.rva.application.ingest;

/**
 * Turns a validated crop into a sighting of a customer (DESIGN §6): embed, match against the gallery or
 * enrol a new pseudonymous customer, persist the sighting and record it in its visit — all in the
 * caller's transaction (the message's). Idempotent on the crop's duplicate id.
 */
public interface IngestService {

    /**
     * @throws IllegalArgumentException when the crop's camera is unknown or its JPEG is unusable (callers
     *         validate first; see the crop message reader)
     */
    IngestResult ingest(CropSighting crop);
}
