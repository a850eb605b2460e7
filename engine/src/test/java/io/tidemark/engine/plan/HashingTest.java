package io.tidemark.engine.plan;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte hashing and equality read eight bytes at a time and the rest in one overlapping read: for
 * every length up to 40 and every position, a one-byte difference is seen by the equality and
 * changes the hash, and equal bytes at different addresses hash alike.
 */
class HashingTest
{
    @Test
    void everyByteCountsAtEveryLength()
    {
        try (BufferAllocator allocator = new RootAllocator(1 << 20);
                ArrowBuf a = allocator.buffer(128);
                ArrowBuf b = allocator.buffer(128)) {
            for (int length = 0; length <= 40; length++) {
                for (int i = 0; i < 128; i++) {
                    a.setByte(i, (byte) (i * 31 + length));
                    b.setByte(i, (byte) 0x5A);
                }
                long aStart = 3;
                long bStart = 50;
                for (int i = 0; i < length; i++) {
                    b.setByte(bStart + i, a.getByte(aStart + i));
                }
                assertThat(Hashing.equalBytes(a, aStart, b, bStart, length)).as("length %d", length).isTrue();
                assertThat(Hashing.bytes(b, bStart, length)).as("length %d", length).isEqualTo(Hashing.bytes(a, aStart, length));
                for (int at = 0; at < length; at++) {
                    byte kept = b.getByte(bStart + at);
                    b.setByte(bStart + at, (byte) (kept ^ 0x10));
                    assertThat(Hashing.equalBytes(a, aStart, b, bStart, length)).as("length %d, byte %d", length, at).isFalse();
                    assertThat(Hashing.bytes(b, bStart, length)).as("length %d, byte %d", length, at).isNotEqualTo(Hashing.bytes(a, aStart, length));
                    b.setByte(bStart + at, kept);
                }
            }
        }
    }
}
