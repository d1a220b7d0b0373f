package com.rva.web.support;

import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.rva.application.analytics.VisitQuery;

/**
 * The time range and store filters as the API and the portal take them, turned into a {@link VisitQuery}.
 * <ul>
 * <li>{@code from}, {@code to}: an ISO date ({@code 2024-11-26}) or date-time ({@code 2024-11-26T10:05:00}),
 * both UTC; a date-time may carry an offset ({@code Z}, {@code +02:00}) and is then converted to UTC.</li>
 * <li>A date as {@code from} means the start of that day; a date as {@code to} includes that whole day, so
 * {@code from=2024-11-20&to=2024-11-26} is seven days. A date-time {@code to} is exclusive.</li>
 * <li>Missing: the last 7 days, today (UTC) included.</li>
 * <li>{@code stores}: store codes, comma separated and/or repeated; none means all stores.</li>
 * </ul>
 */
public final class RangeParameters {

    public static final String FROM = "from";
    public static final String TO = "to";
    public static final String STORES = "stores";

    /** Days covered when the caller gives no range, today included. */
    public static final int DEFAULT_DAYS = 7;

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final String EXPECTED = "an ISO date (2024-11-26) or date-time (2024-11-26T10:05:00, UTC)";

    private RangeParameters() {
    }

    /**
     * @throws InvalidParameterException naming the parameter that is malformed, or {@code to} when the range is
     *         empty
     */
    public static VisitQuery query(String from, String to, Collection<String> stores, Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDateTime start = isBlank(from) ? defaultFirstDay(today).atStartOfDay() : parse(FROM, from, false);
        LocalDateTime end = isBlank(to) ? today.plusDays(1).atStartOfDay() : parse(TO, to, true);
        if (!start.isBefore(end)) {
            throw new InvalidParameterException(TO, "Parameter 'to' (" + end + " UTC, exclusive) must be after 'from' ("
                    + start + " UTC)");
        }
        return VisitQuery.of(start, end, storeCodes(stores));
    }

    /** The first day of the default range ending today. */
    public static LocalDate defaultFirstDay(LocalDate today) {
        return today.minusDays(DEFAULT_DAYS - 1L);
    }

    /**
     * One bound in UTC; a plain date as the end of the range includes that day.
     *
     * @throws InvalidParameterException naming {@code name}
     */
    static LocalDateTime parse(String name, String raw, boolean end) {
        // a '+' of an offset that was not URL-encoded arrives as a space
        String value = raw.trim().replace(' ', '+');
        try {
            if (DATE.matcher(value).matches()) {
                LocalDate day = LocalDate.parse(value);
                return end ? day.plusDays(1).atStartOfDay() : day.atStartOfDay();
            }
            return LocalDateTime.parse(value);
        } catch (DateTimeParseException notLocal) {
            // fall through: perhaps a date-time with an offset
        }
        try {
            return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        } catch (DateTimeParseException e) {
            throw new InvalidParameterException(name, "Parameter '" + name + "' must be " + EXPECTED + ", not '"
                    + abbreviate(raw) + "'");
        }
    }

    /**
     * The distinct store codes of {@code stores} values such as {@code store_001,store_002}, in order.
     *
     * @throws InvalidParameterException for a code that cannot be a store code
     */
    public static Set<String> storeCodes(Collection<String> stores) {
        Set<String> codes = new LinkedHashSet<>();
        if (stores == null) {
            return codes;
        }
        for (String value : stores) {
            if (value == null) {
                continue;
            }
            for (String code : value.split(",")) {
                String c = code.trim();
                if (c.isEmpty()) {
                    continue;
                }
                if (c.length() > 64) {
                    throw new InvalidParameterException(STORES, "Parameter 'stores' has a code longer than 64"
                            + " characters: '" + abbreviate(c) + "'");
                }
                codes.add(c);
            }
        }
        return codes;
    }

    /** {@code store_001,store_002}, or null for no codes (so the parameter is left out of URLs). */
    public static String joinStoreCodes(Collection<String> codes) {
        List<String> list = new ArrayList<>(codes == null ? List.of() : codes);
        return list.isEmpty() ? null : String.join(",", list);
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
