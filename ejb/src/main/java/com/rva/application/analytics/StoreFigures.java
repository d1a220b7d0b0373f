package com.rva.application.analytics;

import java.io.Serializable;

/** A store's figures in a {@link VisitQuery}: visits that started in the range, distinct customers, sightings. */
public record StoreFigures(String code, String name, String regionCode, String timeZone, long visits,
        long uniqueCustomers, long sightings) implements Serializable {

    /** Visits per customer, 0 when nobody came. */
    public double visitsPerCustomer() {
        return uniqueCustomers == 0 ? 0 : (double) visits / uniqueCustomers;
    }
}
