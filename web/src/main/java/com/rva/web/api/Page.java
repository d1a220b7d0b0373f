package com.rva.web.api;

import java.util.List;

/** One page of a list: how many items there are in all, where this page starts, its size and its items. */
public record Page<T>(long total, int first, int size, List<T> items) {
}
