package com.rva.recognition;

/** A crop body that cannot be used: it does not decode, or it is not an aligned 112×112 face. */
public class InvalidCropException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the crop. */
    public enum Problem {
        /** Empty, not a JPEG, truncated or corrupt. */
        UNDECODABLE,
        /** Decodes, but is not 112×112. */
        WRONG_SIZE
    }

    private final Problem problem;

    public InvalidCropException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public InvalidCropException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
