package com.rva.application.analytics;

import jakarta.ejb.ApplicationException;

/** No customer has this id (perhaps erased). The API answers 404. */
@ApplicationException
public class UnknownCustomerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnknownCustomerException(long customerId) {
        super("No customer " + customerId);
    }
}
