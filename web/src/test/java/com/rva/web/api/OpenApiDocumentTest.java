package com.rva.web.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;

/** The hand-written OpenAPI document lists every path and method of every resource class of the API. */
class OpenApiDocumentTest {

    @Test
    void everyResourceMethodIsDocumented() throws Exception {
        String yaml;
        try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.DOCUMENT)) {
            assertNotNull(in, "openapi.yaml is packaged next to OpenApiResource");
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> operations = operations();
        assertTrue(operations.size() >= 14, "found the resources: " + operations);
        List<String> missing = new ArrayList<>();
        for (String op : operations) {
            String[] methodAndPath = op.split(" ", 2);
            int at = yaml.indexOf("\n  " + methodAndPath[1] + ":\n");
            if (at < 0) {
                missing.add(op);
                continue;
            }
            int next = yaml.indexOf("\n  /", at + 3);
            String block = yaml.substring(at, next < 0 ? yaml.indexOf("\ncomponents:") : next);
            if (!block.contains("\n    " + methodAndPath[0] + ":")) {
                missing.add(op);
            }
        }
        assertTrue(missing.isEmpty(), "not in openapi.yaml: " + missing);
        assertFalse(yaml.contains("\t"), "YAML has no tabs");
    }

    /** "get /customers/{id}" for every resource method of the classes next to this one. */
    private static List<String> operations() throws Exception {
        Path dir = Path.of(OpenApiResource.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("com/rva/web/api");
        List<String> operations = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                Class<?> c = Class.forName("com.rva.web.api." + name);
                jakarta.ws.rs.Path root = c.getAnnotation(jakarta.ws.rs.Path.class);
                if (root == null) {
                    continue;
                }
                for (Method m : c.getDeclaredMethods()) {
                    String verb = m.isAnnotationPresent(GET.class) ? "get" : m.isAnnotationPresent(POST.class) ? "post" : null;
                    if (verb == null) {
                        continue;
                    }
                    jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                    String path = "/" + root.value() + (sub == null ? "" : "/" + sub.value());
                    operations.add(verb + " " + path.replace("//", "/"));
                }
            }
        }
        return operations;
    }
}
