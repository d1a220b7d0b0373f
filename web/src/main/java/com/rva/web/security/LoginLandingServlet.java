package com.rva.web.security;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Where a login post ends up when there was no page to return to (the login page was opened directly, e.g.
 * after logging out): the form mechanism has authenticated the caller and lets the request through to
 * {@code /j_security_check}, which would otherwise be a 404.
 */
@WebServlet(SecurityConfiguration.LOGIN_ACTION)
public class LoginLandingServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        land(request, response);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        land(request, response);
    }

    private static void land(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String target = request.getUserPrincipal() != null ? "/" : SecurityConfiguration.LOGIN_PAGE;
        response.sendRedirect(request.getContextPath() + target);
    }
}
