package com.rva.web.portal;

import java.util.List;
import java.util.function.ToDoubleFunction;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

/**
 * Chart.js configurations for {@code <p:chart>}, built with JSON-P so labels (store names can be anything an
 * admin typed) are escaped; {@code <} is escaped as well, because the configuration ends up inside a script.
 */
final class ChartJson {

    private ChartJson() {
    }

    record Series(String label, String colour, List<Double> values) {
    }

    static String chart(String type, List<String> labels, List<Series> series) {
        JsonArrayBuilder l = Json.createArrayBuilder();
        labels.forEach(l::add);
        JsonArrayBuilder datasets = Json.createArrayBuilder();
        for (Series s : series) {
            JsonArrayBuilder data = Json.createArrayBuilder();
            s.values().forEach(data::add);
            datasets.add(Json.createObjectBuilder().add("label", s.label()).add("data", data)
                    .add("borderColor", s.colour()).add("backgroundColor", s.colour()).add("fill", false));
        }
        JsonObjectBuilder options = Json.createObjectBuilder()
                .add("responsive", true).add("maintainAspectRatio", false).add("animation", false)
                .add("scales", Json.createObjectBuilder().add("y", Json.createObjectBuilder().add("beginAtZero", true)));
        String json = Json.createObjectBuilder().add("type", type)
                .add("data", Json.createObjectBuilder().add("labels", l).add("datasets", datasets))
                .add("options", options).build().toString();
        return json.replace("<", "\\u003c");
    }

    static <T> List<Double> values(List<T> rows, ToDoubleFunction<T> value) {
        return rows.stream().map(r -> value.applyAsDouble(r)).toList();
    }
}
