package com.rva.models;

/** A model file whose bytes are not the ones recorded in {@code SHA256SUMS}. */
public class ModelIntegrityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelIntegrityException(String message) {
        super(message);
    }
}
