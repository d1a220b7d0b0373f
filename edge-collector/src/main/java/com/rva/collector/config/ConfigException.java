package com.rva.collector.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One or more settings are missing or wrong. Every problem names its setting, so the operator knows
 * which line of the config file (or which {@code --key=value} flag) to fix.
 */
public class ConfigException extends Exception {

    private static final long serialVersionUID = 1L;

    /** A problem with one setting. */
    public record Problem(String setting, String message) {
        @Override
        public String toString() {
            return setting + ": " + message;
        }
    }

    private final transient List<Problem> problems;

    public ConfigException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String setting, String message) {
        this(List.of(new Problem(setting, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
