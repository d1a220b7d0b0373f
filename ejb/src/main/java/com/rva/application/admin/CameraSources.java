package com.rva.application.admin;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Camera sources as an admin registers them: the types the collector knows, a URL checked against its type,
 * and masking, so a password typed into a URL ({@code rtsp://user:secret@host/}) is never shown or logged.
 */
public final class CameraSources {

    public static final Set<String> TYPES = Set.of("FOLDER", "HTTP", "RTSP", "VIDEO", "USB");
    public static final String MASK = "****";
    private static final Pattern USERINFO_PASSWORD = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://[^/@:]*):[^/@]*@");

    private CameraSources() {
    }

    /** The source type, upper-cased; refused when the collector has no such source. */
    public static String type(String value) {
        String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (!TYPES.contains(v)) {
            throw new InvalidInputException("Source type must be one of " + new java.util.TreeSet<>(TYPES));
        }
        return v;
    }

    /**
     * Checks a URL against its type. {@code previous} is the stored URL: a URL still holding the mask the page
     * showed keeps the stored password.
     */
    public static String url(String type, String value, String previous) {
        String v = AdminInput.optionalText("Source URL", value, 1000);
        if (v == null) {
            throw new InvalidInputException("Source URL is required");
        }
        if (v.contains(MASK) && previous != null && mask(previous).equals(v)) {
            return previous;
        }
        boolean ok = switch (type) {
            case "FOLDER" -> v.startsWith("/");
            case "HTTP" -> v.matches("(?i)https?://[^\\s]+");
            case "RTSP" -> v.matches("(?i)rtsps?://[^\\s]+");
            case "VIDEO" -> v.startsWith("/");
            case "USB" -> v.matches("\\d{1,2}");
            default -> false;
        };
        if (!ok) {
            throw new InvalidInputException("Source URL does not fit type " + type + ": "
                    + switch (type) {
                        case "FOLDER", "VIDEO" -> "an absolute path such as /var/lib/rva/frames/cam-1";
                        case "HTTP" -> "http(s)://host/path of the camera's snapshot";
                        case "RTSP" -> "rtsp://host:554/path";
                        default -> "a device number such as 0";
                    });
        }
        return v;
    }

    /** The URL with any password in its user-info replaced by {@link #MASK}. */
    public static String mask(String url) {
        return url == null ? null : USERINFO_PASSWORD.matcher(url).replaceFirst("$1:" + MASK + "@");
    }
}
