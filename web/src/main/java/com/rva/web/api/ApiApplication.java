package com.rva.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API, under {@code /rva/api/v1}. */
@ApplicationPath("/api/v1")
public class ApiApplication extends Application {
}
