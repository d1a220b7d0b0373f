package com.rva.application.reports;

import java.util.Locale;

import com.rva.application.reports.RegionReport.Line;

/**
 * Renders a region report as the HTML part of the e-mail (one table, inline styles only: mail clients
 * ignore style sheets), its plain-text alternative and the CSV attachment (RFC 4180, comma, CRLF).
 */
public final class RegionReportRenderer {

    private static final String TH = "style=\"padding:6px 10px;border:1px solid #c8ccd0;background:#eef1f4;"
            + "text-align:left;font-weight:bold\"";
    private static final String TD = "style=\"padding:6px 10px;border:1px solid #c8ccd0\"";
    private static final String TD_NUM = "style=\"padding:6px 10px;border:1px solid #c8ccd0;text-align:right\"";
    private static final String TD_NOTE = "style=\"padding:6px 10px;border:1px solid #c8ccd0;color:#6a737d;"
            + "font-style:italic\" colspan=\"7\"";

    private RegionReportRenderer() {
    }

    public static String subject(RegionReport r) {
        return "Visitor report " + r.regionName() + " (" + r.regionCode() + ") for " + r.day();
    }

    public static String html(RegionReport r) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<!DOCTYPE html>\n<html><head><meta charset=\"UTF-8\"><title>").append(esc(subject(r)))
                .append("</title></head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#24292e\">\n");
        b.append("<h2 style=\"font-size:18px\">").append(esc(r.regionName())).append(" &ndash; ").append(r.day())
                .append("</h2>\n");
        b.append("<p>Visits and customers per store for the store-local day ").append(r.day())
                .append(". Dwell is from the first to the last sighting of a visit, in minutes.</p>\n");
        b.append("<table cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse\">\n<tr>");
        for (String h : new String[] {"Store", "Visits", "Customers", "New", "Returning", "Avg dwell (min)",
                "Median dwell (min)", "Busiest hour"}) {
            b.append("<th ").append(TH).append('>').append(h).append("</th>");
        }
        b.append("</tr>\n");
        for (Line l : r.lines()) {
            b.append("<tr><td ").append(TD).append('>').append(esc(l.storeName())).append(" (").append(esc(l.storeCode()))
                    .append(")</td>");
            if (l.visits() == null) {
                b.append("<td ").append(TD_NOTE).append('>').append(esc(l.note())).append("</td>");
            } else {
                num(b, l.visits());
                num(b, l.uniqueCustomers());
                num(b, l.newCustomers());
                num(b, l.returningCustomers());
                num(b, dwell(l.avgDwellMinutes()));
                num(b, dwell(l.medianDwellMinutes()));
                num(b, hour(l.busiestHour()));
            }
            b.append("</tr>\n");
        }
        b.append("<tr><td ").append(TH).append(">Total of the stores shown</td>");
        num(b, r.totals().visits());
        num(b, r.totals().customers());
        b.append("<td ").append(TD).append(" colspan=\"5\"></td></tr>\n</table>\n");
        b.append("<p style=\"color:#6a737d;font-size:12px\">Stores whose day had fewer than ").append(r.k())
                .append(" customers are not shown (").append(r.totals().storesSuppressed())
                .append(" today), nor is a new/returning split with a group below ").append(r.k())
                .append(". Customers are pseudonymous; the CSV attachment holds the same table.</p>\n");
        b.append("</body></html>\n");
        return b.toString();
    }

    public static String text(RegionReport r) {
        StringBuilder b = new StringBuilder(subject(r)).append("\n\n");
        for (Line l : r.lines()) {
            b.append(l.storeName()).append(" (").append(l.storeCode()).append("): ");
            if (l.visits() == null) {
                b.append(l.note());
            } else {
                b.append(l.visits()).append(" visits, ").append(l.uniqueCustomers()).append(" customers");
                if (l.newCustomers() != null) {
                    b.append(" (").append(l.newCustomers()).append(" new, ").append(l.returningCustomers())
                            .append(" returning)");
                }
                b.append(", dwell avg ").append(dwell(l.avgDwellMinutes())).append(" min, median ")
                        .append(dwell(l.medianDwellMinutes())).append(" min, busiest hour ").append(hour(l.busiestHour()));
            }
            b.append('\n');
        }
        b.append("\nTotal of the stores shown: ").append(r.totals().visits()).append(" visits, ")
                .append(r.totals().customers()).append(" customers. Groups below ").append(r.k())
                .append(" customers are suppressed.\n");
        return b.toString();
    }

    public static String csv(RegionReport r) {
        StringBuilder b = new StringBuilder("region,day,store,store_name,visits,customers,new_customers,"
                + "returning_customers,avg_dwell_minutes,median_dwell_minutes,busiest_hour,note\r\n");
        for (Line l : r.lines()) {
            b.append(cell(r.regionCode())).append(',').append(r.day()).append(',').append(cell(l.storeCode())).append(',')
                    .append(cell(l.storeName())).append(',').append(n(l.visits())).append(',').append(n(l.uniqueCustomers()))
                    .append(',').append(n(l.newCustomers())).append(',').append(n(l.returningCustomers())).append(',')
                    .append(l.avgDwellMinutes() == null ? "" : dwell(l.avgDwellMinutes())).append(',')
                    .append(l.medianDwellMinutes() == null ? "" : dwell(l.medianDwellMinutes())).append(',')
                    .append(n(l.busiestHour())).append(',').append(cell(l.note() == null ? "" : l.note())).append("\r\n");
        }
        return b.toString();
    }

    private static void num(StringBuilder b, Object value) {
        b.append("<td ").append(TD_NUM).append('>').append(value == null ? "&ndash;" : esc(value.toString())).append("</td>");
    }

    private static String dwell(Double minutes) {
        return minutes == null ? "-" : String.format(Locale.ROOT, "%.1f", minutes);
    }

    private static String hour(Integer h) {
        return h == null ? "-" : String.format(Locale.ROOT, "%02d:00", h);
    }

    private static String n(Integer v) {
        return v == null ? "" : v.toString();
    }

    /** A CSV field, quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
    static String cell(String s) {
        String v = s;
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
