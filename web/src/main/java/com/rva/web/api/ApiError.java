package com.rva.web.api;

/** The body of an API error: the HTTP status, what went wrong and, for a bad parameter, which one. */
public class ApiError {

    private int status;
    private String parameter;
    private String message;

    public ApiError() {
    }

    public ApiError(int status, String parameter, String message) {
        this.status = status;
        this.parameter = parameter;
        this.message = message;
    }

    public int getStatus() {
        return status;
    }

    public void setStatus(int status) {
        this.status = status;
    }

    public String getParameter() {
        return parameter;
    }

    public void setParameter(String parameter) {
        this.parameter = parameter;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
