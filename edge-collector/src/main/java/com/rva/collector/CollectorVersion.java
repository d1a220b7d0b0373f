package com.rva.collector;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The collector's version, as recorded in every message ({@code collectorVersion}). */
public final class CollectorVersion {

    private static final String VERSION = read();

    private CollectorVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = CollectorVersion.class.getResourceAsStream("collector-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "").trim();
                if (!v.isEmpty() && !v.startsWith("${")) {
                    return "rva-edge-collector/" + v;
                }
            }
        } catch (IOException e) {
            // fall through to the marker below
        }
        return "rva-edge-collector/unknown";
    }
}
