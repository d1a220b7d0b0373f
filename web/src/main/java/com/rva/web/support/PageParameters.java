package com.rva.web.support;

import com.rva.application.analytics.VisitAnalyticsService;

/**
 * {@code first} (0-based offset) and {@code size} of a page as the API takes them, checked here so that a bad
 * value is a 400 naming the parameter (JAX-RS would turn an unparsable {@code int} into a 404).
 */
public record PageParameters(int first, int size) {

    public static final String FIRST = "first";
    public static final String SIZE = "size";
    public static final int DEFAULT_SIZE = 50;

    /** @throws InvalidParameterException for a value that is not a number or out of range */
    public static PageParameters parse(String first, String size) {
        int f = number(FIRST, first, 0);
        int s = number(SIZE, size, DEFAULT_SIZE);
        if (f < 0) {
            throw new InvalidParameterException(FIRST, "Parameter 'first' must be 0 or more, not " + f);
        }
        if (s < 1 || s > VisitAnalyticsService.MAX_PAGE_SIZE) {
            throw new InvalidParameterException(SIZE, "Parameter 'size' must be 1 to "
                    + VisitAnalyticsService.MAX_PAGE_SIZE + ", not " + s);
        }
        return new PageParameters(f, s);
    }

    private static int number(String name, String raw, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new InvalidParameterException(name, "Parameter '" + name + "' must be a whole number, not '"
                    + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
        }
    }

    /** A customer id from a path or query parameter. */
    public static long id(String name, String raw) {
        try {
            long id = Long.parseLong(raw.trim());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new InvalidParameterException(name, "Parameter '" + name + "' must be a positive whole number, not '"
                + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
    }
}
