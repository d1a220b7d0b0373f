package com.rva.application.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes the seed's aggregate document byte for byte in the seed's own layout:
 * <pre>{"123": {"total_appearances": 3, "stores": {"store_001": 2, "store_002": 1}}}</pre>
 * i.e. customer ids as string keys in the given order, {@code ": "} and {@code ", "} separators and every
 * non-ASCII character escaped as {@code \}{@code uXXXX} (the layout of Python's {@code json.dumps} defaults, which
 * produced the seed). The REST API and the batch export both write through this class, so they cannot drift apart.
 */
public final class AppearancesJson {

    private AppearancesJson() {
    }

    public static String write(Iterable<CustomerAppearances> customers) {
        StringBuilder out = new StringBuilder(256);
        write(customers, out);
        return out.toString();
    }

    public static void write(Iterable<CustomerAppearances> customers, Appendable out) {
        try {
            out.append('{');
            boolean firstCustomer = true;
            for (CustomerAppearances c : customers) {
                if (!firstCustomer) {
                    out.append(", ");
                }
                firstCustomer = false;
                string(Long.toString(c.customerId()), out);
                out.append(": {\"total_appearances\": ").append(Long.toString(c.totalAppearances()))
                        .append(", \"stores\": {");
                boolean firstStore = true;
                for (Map.Entry<String, Long> store : c.visitsByStore().entrySet()) {
                    if (!firstStore) {
                        out.append(", ");
                    }
                    firstStore = false;
                    string(store.getKey(), out);
                    out.append(": ").append(Long.toString(store.getValue()));
                }
                out.append("}}");
            }
            out.append('}');
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the aggregate JSON", e);
        }
    }

    /** A JSON string with json.dumps' escapes (ensure_ascii): short escapes where JSON has them, else \\uXXXX. */
    static void string(String s, Appendable out) throws IOException {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (ch < 0x20 || ch > 0x7e) {
                        out.append(String.format("\\u%04x", (int) ch));
                    } else {
                        out.append(ch);
                    }
                }
            }
        }
        out.append('"');
    }
}
