package com.rva.application.analytics;

import java.io.Serializable;
import java.util.List;

/** One page of {@link CustomerVisits} and how many customers the query has in all. */
public record CustomerPage(long total, List<CustomerVisits> rows) implements Serializable {

    public CustomerPage {
        rows = List.copyOf(rows);
    }
}
