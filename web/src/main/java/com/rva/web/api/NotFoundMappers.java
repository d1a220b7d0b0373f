package com.rva.web.api;

import com.rva.application.analytics.UnknownCustomerException;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A customer id that names nobody is a 404 with a JSON body. */
@Provider
public class NotFoundMappers implements ExceptionMapper<UnknownCustomerException> {

    @Override
    public Response toResponse(UnknownCustomerException e) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(404, null, e.getMessage())).build();
    }
}
