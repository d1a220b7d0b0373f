package com.rva.collector.send;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CropBacklogTest {

    static List<OutgoingCrop> frame(String camera, long seq, int faces) {
        List<OutgoingCrop> crops = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            crops.add(new OutgoingCrop("store_001", camera, Instant.parse("2024-11-26T10:05:00Z"), seq, i, 0.9f, 0.9f,
                    "yunet-2023mar", "test", new byte[] {(byte) seq, (byte) i}));
        }
        return crops;
    }

    @Test
    void takesOneWholeFrameAtATimeOldestFirst() throws Exception {
        CropBacklog backlog = new CropBacklog(100);
        backlog.offer(frame("cam-1", 1, 3));
        backlog.offer(frame("cam-2", 1, 1));
        backlog.offer(frame("cam-1", 2, 2));
        List<OutgoingCrop> first = backlog.takeFrame(1, TimeUnit.SECONDS);
        assertEquals(3, first.size());
        assertEquals(List.of(0, 1, 2), first.stream().map(OutgoingCrop::faceIndex).toList());
        assertEquals("cam-2", backlog.takeFrame(1, TimeUnit.SECONDS).get(0).cameraId());
        assertEquals(2, backlog.takeFrame(1, TimeUnit.SECONDS).size());
        assertEquals(List.of(), backlog.takeFrame(10, TimeUnit.MILLISECONDS));
    }

    @Test
    void whenFullTheOldestCropsAreDroppedAndCounted() {
        CropBacklog backlog = new CropBacklog(5);
        assertEquals(0, backlog.offer(frame("cam-1", 1, 3)));
        assertEquals(0, backlog.offer(frame("cam-2", 1, 2)));
        assertEquals(3, backlog.offer(frame("cam-2", 2, 3)));
        assertEquals(5, backlog.size());
        assertEquals(3, backlog.dropped());
        assertEquals(3, backlog.droppedFor("cam-1"));
        assertEquals(0, backlog.droppedFor("cam-2"));
        assertEquals(5, backlog.sizeFor("cam-2"));
    }

    @Test
    void aFramePutBackIsSentFirstAndIsTheFirstDroppedWhenFull() throws Exception {
        CropBacklog backlog = new CropBacklog(4);
        backlog.offer(frame("cam-1", 1, 2));
        List<OutgoingCrop> inFlight = backlog.takeFrame(1, TimeUnit.SECONDS);
        backlog.offer(frame("cam-1", 2, 3));
        assertEquals(1, backlog.putBack(inFlight));
        List<OutgoingCrop> next = backlog.takeFrame(1, TimeUnit.SECONDS);
        assertEquals(1, next.size());
        assertEquals(1, next.get(0).frameSeq());
        assertEquals(1, next.get(0).faceIndex());
        assertEquals(1, backlog.dropped());
    }
}
