package com.rva.application.admin;

import jakarta.ejb.ApplicationException;

/**
 * A value an admin typed was refused; the message names the field and what it expects. An application exception:
 * the caller gets it as it is (no EJBException, no stack trace in the server log) and the transaction rolls back.
 */
@ApplicationException(rollback = true)
public class InvalidInputException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
