package com.rva.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CropContractTest {

    @Test
    void duplicateIdJoinsTheFourKeysWithSlashes() {
        assertEquals("store_001/cam-1/42/3", CropContract.duplicateId("store_001", "cam-1", 42, 3));
    }
}
