package com.rva.application.batch;

import jakarta.ejb.ApplicationException;

/** The request does not fit the job's current state: already running, not restartable, ... (HTTP 409). */
@ApplicationException
public class JobStateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public JobStateException(String message) {
        super(message);
    }
}
