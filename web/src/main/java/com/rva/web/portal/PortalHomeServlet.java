package com.rva.web.portal;

import java.io.IOException;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The portal's address ({@code /rva/}, also {@code /rva/home}) opens the dashboard. */
@WebServlet({"", "/home"})
public class PortalHomeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String HOME_PAGE = "/dashboard.xhtml";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendRedirect(request.getContextPath() + HOME_PAGE);
    }

    /** The error page for an expired view is reached by the post that found it expired. */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        doGet(request, response);
    }
}
