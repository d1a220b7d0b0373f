package com.rva.application.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class AppearancesJsonTest {

    private static CustomerAppearances customer(long id, Map<String, Long> visitsByStore) {
        return new CustomerAppearances(id, new TreeMap<>(visitsByStore));
    }

    @Test
    void writesTheSeedDocumentByteForByte() {
        String seed = "{\"123\": {\"total_appearances\": 3, \"stores\": {\"store_001\": 2, \"store_002\": 1}}}";
        assertEquals(seed, AppearancesJson.write(List.of(customer(123, Map.of("store_002", 1L, "store_001", 2L)))));
    }

    @Test
    void keepsTheCustomerOrderItIsGivenAndSortsStoresByCode() {
        String json = AppearancesJson.write(List.of(
                customer(7, Map.of("b", 1L)),
                customer(12, Map.of("z", 4L, "a", 1L))));
        assertEquals("{\"7\": {\"total_appearances\": 1, \"stores\": {\"b\": 1}}, "
                + "\"12\": {\"total_appearances\": 5, \"stores\": {\"a\": 1, \"z\": 4}}}", json);
    }

    @Test
    void noCustomersIsAnEmptyObject() {
        assertEquals("{}", AppearancesJson.write(List.of()));
    }

    @Test
    void escapesStoreCodesLikeJsonDumps() {
        // json.dumps({"q\"\\\n\u00e9\u007f\U0001F600": 1}) == '{"q\\"\\\\\\n\\u00e9\\u007f\\ud83d\\ude00": 1}'
        String json = AppearancesJson.write(List.of(customer(1, Map.of("q\"\\\n\u00e9\u007f\uD83D\uDE00", 1L))));
        assertEquals("{\"1\": {\"total_appearances\": 1, \"stores\": {\"q\\\"\\\\\\n\\u00e9\\u007f\\ud83d\\ude00\": 1}}}",
                json);
    }
}
