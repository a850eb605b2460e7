package io.tidemark.engine.partition;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SpillInputTest
{
    @TempDir
    Path dir;

    /** Reads of every size, smaller and larger than the buffer, in any mix, give the file's bytes in order. */
    @Test
    void readsOfAnySizeGiveTheFileInOrder()
            throws Exception
    {
        byte[] content = new byte[200_003];
        Random random = new Random(7);
        random.nextBytes(content);
        Path file = dir.resolve("bytes");
        Files.write(file, content);
        for (int bufferBytes : new int[] {16, 1000, 1 << 16}) {
            try (BufferAllocator allocator = new RootAllocator();
                    SpillInput in = SpillInput.open(file, allocator, bufferBytes)) {
                ByteArrayOutputStream read = new ByteArrayOutputStream();
                boolean direct = true;
                while (true) {
                    int want = random.nextInt(4) == 0 ? 1 + random.nextInt(3 * bufferBytes) : 1 + random.nextInt(8);
                    ByteBuffer dst = (direct = !direct) ? ByteBuffer.allocateDirect(want) : ByteBuffer.allocate(want);
                    int n = in.read(dst);
                    if (n < 0) {
                        break;
                    }
                    dst.flip();
                    byte[] got = new byte[dst.remaining()];
                    dst.get(got);
                    assertEquals(n, got.length);
                    read.write(got);
                }
                assertArrayEquals(content, read.toByteArray(), "buffer of " + bufferBytes);
            }
        }
    }

    /** Batches written through {@link SpillChannel} read back through {@link SpillInput} value for value. */
    @Test
    void batchesComeBackAsWritten()
            throws Exception
    {
        Path file = dir.resolve("batches.arrows");
        List<Integer> sizes = List.of(1, 7, 5000, 0, 40_000, 3);
        try (BufferAllocator allocator = new RootAllocator()) {
            try (VectorSchemaRoot root = VectorSchemaRoot.create(TestBatches.SCHEMA, allocator);
                    SpillChannel out = SpillChannel.create(file, allocator, 512);
                    ArrowStreamWriter writer = new ArrowStreamWriter(root, null, out)) {
                writer.start();
                int base = 0;
                for (int size : sizes) {
                    TestBatches.fill(root, base, size);
                    writer.writeBatch();
                    base += size;
                }
                writer.end();
            }
            for (int bufferBytes : new int[] {64, 4096, SpillInput.BUFFER_BYTES}) {
                try (ArrowStreamReader reader = new ArrowStreamReader(SpillInput.open(file, allocator, bufferBytes), allocator)) {
                    VectorSchemaRoot batch = reader.getVectorSchemaRoot();
                    int base = 0;
                    for (int size : sizes) {
                        assertEquals(true, reader.loadNextBatch());
                        assertEquals(size, batch.getRowCount());
                        TestBatches.check(batch, base, size);
                        base += size;
                    }
                    assertEquals(false, reader.loadNextBatch());
                }
            }
        }
    }

    /** Rows of a long and a string column, every seventh row null, derived from the row number. */
    private static final class TestBatches
    {
        static final Schema SCHEMA = new Schema(List.of(
                Field.nullable("n", new ArrowType.Int(64, true)),
                Field.nullable("s", ArrowType.Utf8.INSTANCE)));

        static void fill(VectorSchemaRoot root, int base, int size)
        {
            BigIntVector n = (BigIntVector) root.getVector(0);
            VarCharVector s = (VarCharVector) root.getVector(1);
            n.reset();
            s.reset();
            for (int i = 0; i < size; i++) {
                int row = base + i;
                if (row % 7 == 3) {
                    n.setNull(i);
                    s.setNull(i);
                }
                else {
                    n.setSafe(i, row * 31L);
                    s.setSafe(i, text(row));
                }
            }
            root.setRowCount(size);
        }

        static void check(VectorSchemaRoot batch, int base, int size)
        {
            BigIntVector n = (BigIntVector) batch.getVector(0);
            VarCharVector s = (VarCharVector) batch.getVector(1);
            for (int i = 0; i < size; i++) {
                int row = base + i;
                if (row % 7 == 3) {
                    assertEquals(true, n.isNull(i), "row " + row);
                    assertNull(s.get(i), "row " + row);
                }
                else {
                    assertEquals(row * 31L, n.get(i), "row " + row);
                    assertArrayEquals(text(row), s.get(i), "row " + row);
                }
            }
        }

        static byte[] text(int row)
        {
            return ("value-" + row + "-" + "x".repeat(row % 23)).getBytes(StandardCharsets.UTF_8);
        }
    }
}
