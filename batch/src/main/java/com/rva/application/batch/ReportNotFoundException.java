package com.rva.application.batch;

import java.time.LocalDate;

import jakarta.ejb.ApplicationException;

/** No region-report row for that region and day in the send log (HTTP 404). */
@ApplicationException
public class ReportNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ReportNotFoundException(String region, LocalDate day) {
        super("No region report of region '" + region + "' for " + day + " in the send log");
    }
}
