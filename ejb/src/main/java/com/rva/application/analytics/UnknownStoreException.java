package com.rva.application.analytics;

import jakarta.ejb.ApplicationException;

/** A filter named a store code that does not exist. Callers turn it into a 400 or a message. */
@ApplicationException
public class UnknownStoreException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String storeCode;

    public UnknownStoreException(String storeCode) {
        super("Unknown store code '" + storeCode + "'");
        this.storeCode = storeCode;
    }

    public String getStoreCode() {
        return storeCode;
    }
}
