package com.rva.application.collectors;

import jakarta.ejb.ApplicationException;

/** A request for collector credentials that cannot be met as asked (bad login, another store's login, ...). */
@ApplicationException(rollback = true)
public class CollectorCredentialException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CollectorCredentialException(String message) {
        super(message);
    }
}
