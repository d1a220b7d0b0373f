package com.rva.collector.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the settings: a properties file ({@code --config=FILE}, UTF-8) and {@code --key=value} flags
 * that override it.
 */
public final class ConfigLoader {

    public static final String CONFIG_FLAG = "config";

    private ConfigLoader() {
    }

    /** Raw settings from the command line and the config file it names. */
    public static Map<String, String> rawSettings(String... args) throws ConfigException {
        Map<String, String> overrides = new LinkedHashMap<>();
        String configFile = null;
        for (String arg : args) {
            if (!arg.startsWith("--") || arg.indexOf('=') < 3) {
                throw new ConfigException(arg, "is not a --key=value argument (use --config=FILE and --setting=value)");
            }
            String key = arg.substring(2, arg.indexOf('='));
            String value = arg.substring(arg.indexOf('=') + 1);
            if (key.equals(CONFIG_FLAG)) {
                configFile = value;
            } else {
                overrides.put(key, value);
            }
        }
        Map<String, String> raw = new LinkedHashMap<>();
        if (configFile != null) {
            raw.putAll(readFile(Path.of(configFile)));
        }
        raw.putAll(overrides);
        return raw;
    }

    /** Reads and validates the settings. */
    public static CollectorSettings load(String... args) throws ConfigException {
        return CollectorSettings.from(rawSettings(args));
    }

    static Map<String, String> readFile(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--" + CONFIG_FLAG, "config file " + file.toAbsolutePath() + " does not exist");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("--" + CONFIG_FLAG, "cannot read " + file.toAbsolutePath() + ": " + e.getMessage());
        }
        Map<String, String> map = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(k -> map.put(k, props.getProperty(k)));
        return map;
    }
}
