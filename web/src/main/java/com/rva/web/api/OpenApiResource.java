package com.rva.web.api;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * {@code GET /api/v1/openapi.yaml}: the API's OpenAPI 3 document. It is written by hand (WildFly's
 * standalone-full has no MicroProfile OpenAPI); {@code OpenApiDocumentTest} fails when a resource path is
 * missing from it.
 */
@Path("openapi.yaml")
public class OpenApiResource {

    static final String DOCUMENT = "openapi.yaml";

    @GET
    @Produces("application/yaml")
    public byte[] document() throws IOException {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new NotFoundException("The OpenAPI document is missing from the build");
            }
            return in.readAllBytes();
        }
    }
}
