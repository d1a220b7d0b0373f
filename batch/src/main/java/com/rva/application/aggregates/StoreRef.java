package com.rva.application.aggregates;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The little the job needs of a store, detached from any persistence context. The time zone is kept
 * as stored and parsed when used, so one store with a broken zone fails its own chunk, not the run.
 */
public record StoreRef(long id, String code, String timeZone) {

    public StoreRef(long id, String code, ZoneId zone) {
        this(id, code, zone.getId());
    }

    /** The store's zone; a zone id the JDK does not know is a configuration error of that store. */
    public ZoneId zone() {
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new IllegalStateException("Store " + code + " (id " + id + ") has an invalid time zone '"
                    + timeZone + "'", e);
        }
    }

    @Override
    public String toString() {
        return code + " (" + timeZone + ")";
    }
}
