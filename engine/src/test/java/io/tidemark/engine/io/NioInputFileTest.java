package io.tidemark.engine.io;

import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole column chunks are read into heap arrays without pinning a chunk-sized direct buffer on the reading thread. */
class NioInputFileTest
{
    @TempDir
    Path temp;

    @Test
    void aLargeReadReturnsTheBytesAndLeavesLittleDirectMemory()
            throws Exception
    {
        byte[] content = new byte[12 << 20];
        new Random(3).nextBytes(content);
        Path file = temp.resolve("chunk.bin");
        Files.write(file, content);
        AtomicReference<byte[]> read = new AtomicReference<>();
        AtomicLong directGrowth = new AtomicLong();
        // a fresh thread: the JDK caches its temporary direct buffers per thread
        Thread reader = new Thread(() -> {
            try (SeekableInputStream in = new NioInputFile(file).newStream()) {
                long before = directBytes();
                byte[] bytes = new byte[content.length - 5];
                in.seek(5);
                in.readFully(bytes);
                directGrowth.set(directBytes() - before);
                read.set(bytes);
            }
            catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        reader.start();
        reader.join();
        assertThat(read.get()).isEqualTo(java.util.Arrays.copyOfRange(content, 5, content.length));
        assertThat(directGrowth.get()).as("direct memory the read left behind").isLessThanOrEqualTo(2L << 20);
    }

    private static long directBytes()
    {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        throw new IllegalStateException("no direct buffer pool");
    }
}
