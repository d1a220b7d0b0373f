package com.rva.application.batch;

import jakarta.ejb.ApplicationException;

/** A job parameter that cannot be used; names the parameter so the API can say which (HTTP 400). */
@ApplicationException
public class JobParameterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    public JobParameterException(String parameter, String problem) {
        super("Job parameter '" + parameter + "': " + problem);
        this.parameter = parameter;
    }

    public String getParameter() {
        return parameter;
    }
}
