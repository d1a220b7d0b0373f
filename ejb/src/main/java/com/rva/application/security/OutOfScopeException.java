package com.rva.application.security;

import jakarta.ejb.ApplicationException;

/** The caller asked for a store (or a customer) outside its scope. The API answers 403, the portal a message. */
@ApplicationException
public class OutOfScopeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OutOfScopeException(String message) {
        super(message);
    }
}
