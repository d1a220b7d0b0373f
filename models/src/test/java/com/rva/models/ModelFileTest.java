package com.rva.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ModelFileTest {

    @Test
    void shippedModelsMatchTheirRecordedSums() {
        assertEquals(232_589, ModelFile.YUNET.load().length);
        assertEquals(4_884_269, ModelFile.FR_FEATURE.load().length);
        assertEquals("8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4",
                ModelFile.YUNET.expectedSha256());
    }

    @Test
    void aTamperedModelIsRefusedWithBothSums() {
        byte[] bytes = ModelFile.YUNET.load();
        byte[] tampered = Arrays.copyOf(bytes, bytes.length);
        tampered[100] ^= 1;
        ModelIntegrityException e = assertThrows(ModelIntegrityException.class,
                () -> ModelFile.verify("face_detection_yunet_2023mar.onnx", tampered, ModelFile.YUNET.expectedSha256()));
        assertTrue(e.getMessage().contains("face_detection_yunet_2023mar.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains(ModelFile.YUNET.expectedSha256()), e.getMessage());
    }
}
