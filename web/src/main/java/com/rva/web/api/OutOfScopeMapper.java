package com.rva.web.api;

import com.rva.application.security.OutOfScopeException;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Asking for a store or customer outside the caller's scope is a 403 with a JSON body saying so. */
@Provider
public class OutOfScopeMapper implements ExceptionMapper<OutOfScopeException> {

    @Override
    public Response toResponse(OutOfScopeException e) {
        return Response.status(Response.Status.FORBIDDEN)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(403, null, e.getMessage()))
                .build();
    }
}
