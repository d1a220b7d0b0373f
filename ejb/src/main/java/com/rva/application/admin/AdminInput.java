package com.rva.application.admin;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The checks every admin form shares. A refused value throws {@link IllegalArgumentException} with a message
 * naming the field; markup in a free-text value is allowed and escaped by the pages (Faces output escapes).
 */
public final class AdminInput {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
    /** Deliberately plain: local part and a dotted domain, no spaces, no markup, no display name. */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9-]{1,63}"
            + "(\\.[A-Za-z0-9-]{1,63})+");

    private AdminInput() {
    }

    /** A code collectors and URLs use: 1 to 64 letters, digits or {@code _ . -}. */
    public static String code(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (!CODE.matcher(v).matches()) {
            throw new InvalidInputException(field + " must be 1 to 64 letters, digits or _ . - (not '"
                    + shorten(v) + "')");
        }
        return v;
    }

    /** A name shown on pages: 1 to {@code max} characters, no control characters. */
    public static String text(String field, String value, int max) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            throw new InvalidInputException(field + " is required");
        }
        return optionalText(field, v, max);
    }

    /** The same, but blank is allowed (returns null). */
    public static String optionalText(String field, String value, int max) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty()) {
            return null;
        }
        if (v.length() > max) {
            throw new InvalidInputException(field + " has at most " + max + " characters");
        }
        if (CONTROL.matcher(v).find()) {
            throw new InvalidInputException(field + " must not contain control characters");
        }
        return v;
    }

    /** An e-mail address, lower-cased domain; at most 320 characters. */
    public static String email(String value) {
        String v = value == null ? "" : value.strip();
        if (v.length() > 320 || !EMAIL.matcher(v).matches()) {
            throw new InvalidInputException("'" + shorten(v) + "' is not an e-mail address (name@example.com)");
        }
        int at = v.lastIndexOf('@');
        return v.substring(0, at + 1) + v.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** A whole number in a range. */
    public static int whole(String field, String value, int min, int max) {
        String v = value == null ? "" : value.strip();
        if (!v.matches("\\d{1,9}")) {
            throw new InvalidInputException(field + " must be a whole number between " + min + " and " + max);
        }
        int n = Integer.parseInt(v);
        if (n < min || n > max) {
            throw new InvalidInputException(field + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    static String shorten(String v) {
        String s = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        return CONTROL.matcher(s).replaceAll("?");
    }
}
