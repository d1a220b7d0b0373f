package com.rva.application.analytics;

import java.io.Serializable;

/** A store as filters list it: its code (what the API and exports use), name and time zone. */
public record StoreSummary(String code, String name, String timeZone) implements Serializable {

    /** {@code store_001 – Demo store 001 (Berlin)}: code first, so lists read and sort by code. */
    public String label() {
        return code + " \u2013 " + name;
    }
}
