package io.tidemark.engine.io;

import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.util.Arrays;

/**
 * Where the column encoders of one sink end their pages, one page at a time: the page as written
 * (definition levels, then values) and its Snappy form, in two arrays reused page after page and
 * grown to the largest page seen (about 1 MiB at most, {@code ColumnEncoder}'s page bound, plus
 * Snappy's worst case). Only the compressed page, at its own length, is kept. Before, every page
 * took three fresh arrays of about its size (a third of the heap a join allocated). Not for use
 * by two threads at once, as a sink is not.
 */
final class PageScratch
{
    private byte[] page = new byte[0];
    private byte[] compressed = new byte[0];

    /** Snappy of {@code levels} followed by {@code body[0, bodyLength)}, in a new array of its length. */
    byte[] compress(byte[] levels, byte[] body, int bodyLength)
            throws IOException
    {
        int length = levels.length + bodyLength;
        if (page.length < length) {
            page = new byte[length];
        }
        System.arraycopy(levels, 0, page, 0, levels.length);
        System.arraycopy(body, 0, page, levels.length, bodyLength);
        int bound = Snappy.maxCompressedLength(length);
        if (compressed.length < bound) {
            compressed = new byte[bound];
        }
        int size = Snappy.compress(page, 0, length, compressed, 0);
        return Arrays.copyOf(compressed, size);
    }
}
