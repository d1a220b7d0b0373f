package com.rva.application.batch;

import jakarta.ejb.ApplicationException;

/** No job execution with that id in this application's job repository (HTTP 404). */
@ApplicationException
public class JobExecutionNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JobExecutionNotFoundException(long executionId) {
        super("No job execution " + executionId);
    }
}
