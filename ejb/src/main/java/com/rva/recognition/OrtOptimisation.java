package com.rva.recognition;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * The setting for ONNX Runtime's graph optimisation level ({@code -Drva.embedder.optimisation}): {@link #AUTO}
 * (the default) times every level on this CPU when the embedder starts and keeps the fastest; the others fix one
 * level. Which level is fastest depends on the CPU: DESIGN §4 measured {@code ALL_OPT} 3–4× slower than
 * {@code EXTENDED_OPT} on one machine, {@code ./rva bench embedder} measured it ≈ 30 % faster on another.
 */
public enum OrtOptimisation {
    AUTO(null),
    NO_OPT(OptLevel.NO_OPT),
    BASIC_OPT(OptLevel.BASIC_OPT),
    EXTENDED_OPT(OptLevel.EXTENDED_OPT),
    ALL_OPT(OptLevel.ALL_OPT);

    private final OptLevel level;

    OrtOptimisation(OptLevel level) {
        this.level = level;
    }

    /** The fixed level, or empty for {@link #AUTO}. */
    public Optional<OptLevel> level() {
        return Optional.ofNullable(level);
    }

    /** Parses a setting value (case-insensitive); a blank value is {@link #AUTO}. */
    public static OrtOptimisation parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the ONNX Runtime optimisation level must be one of "
                    + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")) + ", not '" + value + "'",
                    e);
        }
    }
}
