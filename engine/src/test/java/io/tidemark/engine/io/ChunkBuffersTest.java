package io.tidemark.engine.io;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChunkBuffersTest
{
    @TempDir
    Path temp;

    @Test
    void aBufferHandedBackServesTheNextChunkOfAboutItsSize()
    {
        ChunkBuffers buffers = new ChunkBuffers(1 << 20);
        ByteBuffer first = buffers.allocate(100_000);
        assertThat(first.position()).isZero();
        assertThat(first.limit()).isEqualTo(100_000);
        assertThat(first.capacity()).isEqualTo(100_000);
        byte[] array = first.array();
        assertThat(array.length).isBetween(100_000, 100_000 + 100_000 / 8);
        buffers.release(first);
        buffers.release(first);   // twice: kept once
        assertThat(buffers.keptBytes()).isEqualTo(array.length);

        ByteBuffer second = buffers.allocate(array.length);   // a little larger than the first chunk: fits the rounded array
        assertThat(second.array()).isSameAs(array);
        assertThat(second.limit()).isEqualTo(array.length);
        assertThat(buffers.keptBytes()).isZero();
        assertThat(buffers.allocate(array.length + 1).array()).isNotSameAs(array);
        assertThat(buffers.created()).isEqualTo(2);
    }

    @Test
    void keepsNoMoreThanItsBoundAndTheSmallestFittingArrayIsTaken()
    {
        ChunkBuffers buffers = new ChunkBuffers(300_000);
        ByteBuffer small = buffers.allocate(50_000);
        ByteBuffer large = buffers.allocate(200_000);
        ByteBuffer over = buffers.allocate(100_000);
        buffers.release(large);
        buffers.release(small);
        buffers.release(over);   // past the bound: dropped
        assertThat(buffers.keptBytes()).isEqualTo(large.array().length + small.array().length);
        assertThat(buffers.allocate(40_000).array()).isSameAs(small.array());
        assertThat(buffers.allocate(40_000).array()).isSameAs(large.array());
        buffers.release(ByteBuffer.allocate(10));
        buffers.clear();
        assertThat(buffers.keptBytes()).isZero();
        assertThat(ChunkBuffers.roundUp(1000)).isEqualTo(1000);
        assertThat(ChunkBuffers.roundUp(1 << 20)).isEqualTo(1 << 20);
        assertThat(ChunkBuffers.roundUp((1 << 20) + 1)).isEqualTo((1 << 20) + (1 << 17));
        assertThatThrownBy(() -> new ChunkBuffers(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowGroupsReadThroughReusedArraysDecodeAsWithFreshOnes()
    {
        Path file = temp.resolve("groups.parquet");
        int rows = 40_000;
        try (BufferAllocator allocator = new RootAllocator()) {
            Schema schema;
            try (VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(List.of(
                    org.apache.arrow.vector.types.pojo.Field.nullable("n", new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)),
                    org.apache.arrow.vector.types.pojo.Field.nullable("s", org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE))), allocator)) {
                schema = root.getSchema();
                BigIntVector n = (BigIntVector) root.getVector(0);
                VarCharVector s = (VarCharVector) root.getVector(1);
                Random random = new Random(7);
                for (int i = 0; i < rows; i++) {
                    if (i % 97 == 0) {
                        n.setNull(i);
                    }
                    else {
                        n.setSafe(i, random.nextLong());
                    }
                    s.setSafe(i, ("v" + random.nextInt(1_000_000) + "-" + Long.toHexString(random.nextLong())).getBytes(StandardCharsets.UTF_8));
                }
                root.setRowCount(rows);
                try (ParquetSink sink = new ParquetSink(file, schema, 64L << 20, 8_000)) {
                    sink.write(root);
                }
            }
            InputTable table = InputTable.open(file.toString());
            int groups = table.files().get(0).footer().getBlocks().size();
            assertThat(groups).isEqualTo(5);
            ChunkBuffers shared = new ChunkBuffers(64L << 20);
            long afterFirst = 0;
            for (int g = 0; g < groups; g++) {
                try (VectorSchemaRoot reused = VectorSchemaRoot.create(table.schema(), allocator);
                        VectorSchemaRoot fresh = VectorSchemaRoot.create(table.schema(), allocator)) {
                    try (RowGroupReader a = new RowGroupReader(table.files().get(0), g, table.schema(), shared);
                            RowGroupReader b = new RowGroupReader(table.files().get(0), g, table.schema())) {
                        assertThat(a.next(reused, 100_000)).isEqualTo(8_000);
                        assertThat(b.next(fresh, 100_000)).isEqualTo(8_000);
                    }
                    for (int c = 0; c < 2; c++) {
                        for (int i = 0; i < 8_000; i++) {
                            assertThat(reused.getVector(c).getObject(i)).isEqualTo(fresh.getVector(c).getObject(i));
                        }
                    }
                }
                if (g == 0) {
                    afterFirst = shared.created();
                    assertThat(shared.keptBytes()).as("the closed row group handed its arrays back").isPositive();
                }
            }
            assertThat(afterFirst).isPositive();
            assertThat(shared.created()).as("later row groups read into the first one's arrays").isLessThan(afterFirst * groups);
        }
    }
}
