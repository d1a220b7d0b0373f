package com.rva.collector.send;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Crops waiting to be sent, oldest first, bounded by a number of crops. When full, the oldest crops are
 * dropped and counted (per camera and in total): fresh crops matter more than old ones in a store
 * that has been offline for hours.
 */
public final class CropBacklog {

    private final int maxCrops;
    private final Deque<OutgoingCrop> queue = new ArrayDeque<>();
    private final Map<String, Long> droppedByCamera = new HashMap<>();
    private long dropped;

    public CropBacklog(int maxCrops) {
        if (maxCrops < 1) {
            throw new IllegalArgumentException("maxCrops must be positive: " + maxCrops);
        }
        this.maxCrops = maxCrops;
    }

    /**
     * Appends one frame's crops.
     *
     * @return how many of the oldest crops were dropped to make room
     */
    public synchronized int offer(List<OutgoingCrop> frame) {
        queue.addAll(frame);
        int n = trim();
        notifyAll();
        return n;
    }

    /**
     * Removes and returns the oldest frame's crops (all crops at the head sharing its camera and frameSeq),
     * waiting up to {@code timeout} for one; an empty list when none arrived.
     */
    public synchronized List<OutgoingCrop> takeFrame(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (queue.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return List.of();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        List<OutgoingCrop> frame = new ArrayList<>();
        OutgoingCrop head = queue.pollFirst();
        frame.add(head);
        while (!queue.isEmpty() && queue.peekFirst().sameFrame(head)) {
            frame.add(queue.pollFirst());
        }
        return frame;
    }

    /**
     * Puts a frame that could not be sent back at the head, in order. If the backlog filled up meanwhile,
     * these (being the oldest) are the first dropped.
     *
     * @return how many crops were dropped to make room
     */
    public synchronized int putBack(List<OutgoingCrop> frame) {
        for (int i = frame.size() - 1; i >= 0; i--) {
            queue.addFirst(frame.get(i));
        }
        int n = trim();
        notifyAll();
        return n;
    }

    private int trim() {
        int n = 0;
        while (queue.size() > maxCrops) {
            OutgoingCrop old = queue.pollFirst();
            droppedByCamera.merge(old.cameraId(), 1L, Long::sum);
            dropped++;
            n++;
        }
        return n;
    }

    public synchronized int size() {
        return queue.size();
    }

    public synchronized int sizeFor(String cameraId) {
        int n = 0;
        for (Iterator<OutgoingCrop> it = queue.iterator(); it.hasNext();) {
            if (it.next().cameraId().equals(cameraId)) {
                n++;
            }
        }
        return n;
    }

    /** Crops dropped since start, all cameras. */
    public synchronized long dropped() {
        return dropped;
    }

    public synchronized long droppedFor(String cameraId) {
        return droppedByCamera.getOrDefault(cameraId, 0L);
    }

    public int maxCrops() {
        return maxCrops;
    }
}
