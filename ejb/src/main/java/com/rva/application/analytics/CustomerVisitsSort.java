package com.rva.application.analytics;

import java.util.Locale;

/** The orders the customer-visits list can be sorted in; ties are always broken by customer id. */
public enum CustomerVisitsSort {

    CUSTOMER_ID("cid"),
    VISITS("nvisits"),
    SIGHTINGS("nsightings"),
    FIRST_SEEN("firstseen"),
    LAST_SEEN("lastseen");

    private final String resultVariable;

    CustomerVisitsSort(String resultVariable) {
        this.resultVariable = resultVariable;
    }

    /** The JPQL result variable of the aggregate query this sort orders by (never user text). */
    String resultVariable() {
        return resultVariable;
    }

    /**
     * Maps a column name as the portal uses it ({@code visits}, {@code firstSeenUtc}, ...) to a sort.
     *
     * @throws IllegalArgumentException for a column that cannot be sorted
     */
    public static CustomerVisitsSort byField(String field) {
        String f = field == null ? "" : field.toLowerCase(Locale.ROOT);
        return switch (f) {
            case "customerid", "customer_id", "id" -> CUSTOMER_ID;
            case "visits" -> VISITS;
            case "sightings" -> SIGHTINGS;
            case "firstseen", "firstseenutc", "first_seen" -> FIRST_SEEN;
            case "lastseen", "lastseenutc", "last_seen" -> LAST_SEEN;
            default -> throw new IllegalArgumentException("Cannot sort customer visits by '" + field + "'");
        };
    }
}
