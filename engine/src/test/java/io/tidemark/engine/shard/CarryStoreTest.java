package io.tidemark.engine.shard;

import io.tidemark.engine.io.InputTable;
import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.plan.JoinPlan;
import io.tidemark.engine.plan.Side;
import io.tidemark.engine.plan.SpillLayout;
import io.tidemark.protocol.Direction;
import io.tidemark.protocol.How;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.NullKeys;
import io.tidemark.protocol.Validate;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The carried rows are found and replaced by key hash and then checked against the keys: when
 * different keys share a hash (a 64-bit collision, forced here by giving every row the same hash),
 * an update replaces only its own key's row, each key looked up gets its own row, and a key never
 * stored gets none.
 */
class CarryStoreTest
{
    @TempDir
    Path temp;

    @Test
    void keysSharingAHashGetTheirOwnRows()
    {
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            JoinPlan plan = plan(keyValueTable(), allocator);
            try (CarryStore store = new CarryStore(plan, allocator)) {
                try (ShardData right = rows(plan.spillLayout(Side.RIGHT), allocator, new String[] {"a", "b", "c"}, new long[] {10, 20, 30})) {
                    store.update(right, new int[] {0, 1, 2});
                }
                try (ShardData right = rows(plan.spillLayout(Side.RIGHT), allocator, new String[] {"b"}, new long[] {21})) {
                    store.update(right, new int[] {0});
                }
                String[] leftKeys = {"c", "x", "b", "a"};
                try (ShardData left = rows(plan.spillLayout(Side.LEFT), allocator, leftKeys, new long[] {0, 0, 0, 0});
                        CarriedRows carried = store.lookup(left, new int[] {0, 1, 2, 3})) {
                    Map<String, Long> found = new HashMap<>();
                    FieldVector[] columns = plan.spillLayout(Side.RIGHT).columns(carried.root());
                    BigIntVector v = (BigIntVector) columns[JoinPlan.PAYLOAD + 2];
                    VarCharVector k = (VarCharVector) columns[JoinPlan.PAYLOAD + 1];
                    for (int j = 0; j < carried.root().getRowCount(); j++) {
                        String key = leftKeys[carried.keyIndex()[j]];
                        assertEquals(key, new String(k.get(j), StandardCharsets.UTF_8), "the carried row of the key looked up");
                        found.put(key, v.get(j));
                    }
                    assertEquals(Map.of("a", 10L, "b", 21L, "c", 30L), found);
                }
            }
        }
    }

    /**
     * Compaction copies the live rows column by column and frees each old column once copied, so it
     * needs room for about one column of the live rows, not all of them: here three equally wide
     * string columns, and a limit that leaves about 0.6 of a generation free after the second one.
     */
    @Test
    void compactionNeedsRoomForOneColumnNotTheWholeRows()
    {
        Schema table = new Schema(List.of(
                new Field("ts", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)), null),
                new Field("k", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field("v", FieldType.nullable(new ArrowType.Int(64, true)), null),
                new Field("s1", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field("s2", FieldType.nullable(ArrowType.Utf8.INSTANCE), null)));
        int n = 6_000;
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            keys[i] = String.format("%0100d", i);
        }
        try (BufferAllocator allocator = new RootAllocator(256L << 20);
                BufferAllocator carry = allocator.newChildAllocator("carry", 0, Long.MAX_VALUE)) {
            JoinPlan plan = plan(table, allocator);
            try (CarryStore store = new CarryStore(plan, carry)) {
                try (ShardData right = wideRows(plan.spillLayout(Side.RIGHT), allocator, keys, 1)) {
                    store.update(right, java.util.stream.IntStream.range(0, n).toArray());
                }
                long generation = carry.getAllocatedMemory();
                carry.setLimit(2 * generation + generation * 6 / 10);
                try (ShardData right = wideRows(plan.spillLayout(Side.RIGHT), allocator, keys, 2)) {
                    store.update(right, java.util.stream.IntStream.range(0, n).toArray());   // every row replaced: 2n rows > 1.5n + 1024, compacts
                }
                assertTrue(carry.getAllocatedMemory() <= generation * 11 / 10, "compacted to one generation: " + carry.getAllocatedMemory());
                try (ShardData left = wideRows(plan.spillLayout(Side.LEFT), allocator, new String[] {keys[7], keys[n - 1]}, 0);
                        CarriedRows carried = store.lookup(left, new int[] {0, 1})) {
                    BigIntVector v = (BigIntVector) plan.spillLayout(Side.RIGHT).columns(carried.root())[JoinPlan.PAYLOAD + 2];
                    assertEquals(2, carried.root().getRowCount());
                    for (int j = 0; j < 2; j++) {
                        assertEquals(carried.keyIndex()[j] == 0 ? 2 * 7L : 2L * (n - 1), v.get(j), "the second update's row");
                    }
                }
            }
        }
    }

    /**
     * The store holds rows without the columns spill files leave out (the hash, and the table's on
     * column, a copy of the on key); a piece loaded with the carried rows has them again, equal to
     * the rows' own.
     */
    @Test
    void carriedRowsAreHeldWithoutTheHashAndOnColumnAndLoadWithThem()
    {
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            JoinPlan plan = plan(keyValueTable(), allocator);
            SpillLayout layout = plan.spillLayout(Side.RIGHT);
            assertEquals(layout.schema().getFields().size() - 2, layout.held().getFields().size(), "hash and on column left out");
            String[] keys = {String.format("%0100d", 1), String.format("%0100d", 2), String.format("%0100d", 3)};
            try (CarryStore store = new CarryStore(plan, allocator);
                    ShardData right = wideRows(layout, allocator, keys, 5)) {
                store.update(right, new int[] {0, 1, 2});
                try (ShardData left = wideRows(plan.spillLayout(Side.LEFT), allocator, new String[] {keys[2], keys[0]}, 0);
                        CarriedRows carried = store.lookup(left, new int[] {0, 1});
                        ShardData loaded = ShardData.load(layout, allocator, List.of(), List.of(carried.root()))) {
                    assertEquals(layout.held(), carried.root().getSchema());
                    long[] hashes = right.longs(JoinPlan.HASH);
                    TimeStampMicroVector ts = (TimeStampMicroVector) loaded.root().getVector(JoinPlan.PAYLOAD);
                    for (int j = 0; j < 2; j++) {
                        int row = carried.keyIndex()[j] == 0 ? 2 : 0;   // the first key looked up is right row 2, the second row 0
                        assertEquals(hashes[row], loaded.longs(JoinPlan.HASH)[j], "hash made again");
                        assertEquals(row, ts.get(j), "on column made again from the on key");
                        assertEquals(row * 5L, ((BigIntVector) loaded.root().getVector(JoinPlan.PAYLOAD + 2)).get(j));
                    }
                }
            }
        }
    }

    /**
     * Carried rows appended to a loaded piece (where the one-sort plan puts them, after the piece's
     * own rows; the vectors grow) are the rows that loading both at once gives, hash and on column
     * made again for the appended rows only.
     */
    @Test
    void carriedRowsAppendedToALoadedPieceEqualLoadingThemTogether()
    {
        try (BufferAllocator allocator = new RootAllocator(64L << 20)) {
            JoinPlan plan = plan(keyValueTable(), allocator);
            SpillLayout layout = plan.spillLayout(Side.RIGHT);
            String[] stored = {String.format("%0100d", 1), String.format("%0100d", 2), String.format("%0100d", 3)};
            String[] own = new String[1000];
            for (int i = 0; i < own.length; i++) {
                own[i] = String.format("%0100d", 10 + i);
            }
            try (CarryStore store = new CarryStore(plan, allocator);
                    ShardData right = wideRows(layout, allocator, stored, 5)) {
                store.update(right, new int[] {0, 1, 2});
                try (ShardData left = wideRows(plan.spillLayout(Side.LEFT), allocator, new String[] {stored[2], stored[0]}, 0);
                        CarriedRows carried = store.lookup(left, new int[] {0, 1});
                        ShardData appended = wideRows(layout, allocator, own, 3);
                        ShardData piece = wideRows(layout, allocator, own, 3);
                        ShardData together = ShardData.load(layout, allocator, List.of(), List.of(piece.root(), carried.root()))) {
                    appended.append(carried.root());
                    assertEquals(own.length + 2, appended.rows());
                    assertEquals(together.rows(), appended.root().getRowCount());
                    for (int c = 0; c < layout.schema().getFields().size(); c++) {
                        for (int i = 0; i < together.rows(); i++) {
                            assertEquals(together.vector(c).getObject(i), appended.vector(c).getObject(i), "column " + c + " row " + i);
                        }
                    }
                    int first = carried.keyIndex()[0] == 0 ? 2 : 0;   // the stored row of the first carried row's key
                    assertEquals(right.longs(JoinPlan.HASH)[first], appended.longs(JoinPlan.HASH)[own.length], "an appended row's hash made again");
                }
            }
        }
    }

    /** Rows keyed {@code keys[i]} (hash i), value i * {@code factor}, 100-byte strings in the wide columns. */
    private static ShardData wideRows(SpillLayout spill, BufferAllocator allocator, String[] keys, long factor)
    {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(spill.schema(), allocator)) {
            root.allocateNew();
            for (int i = 0; i < keys.length; i++) {
                ((BigIntVector) root.getVector(JoinPlan.ON)).setSafe(i, i);
                ((BigIntVector) root.getVector(JoinPlan.ORD)).setSafe(i, i);
                ((BigIntVector) root.getVector(JoinPlan.HASH)).setSafe(i, Long.parseLong(keys[i].substring(80)) * 0x9E3779B97F4A7C15L);
                ((TimeStampMicroVector) root.getVector(JoinPlan.PAYLOAD)).setSafe(i, i);
                ((VarCharVector) root.getVector(JoinPlan.PAYLOAD + 1)).setSafe(i, keys[i].getBytes(StandardCharsets.UTF_8));
                if (root.getSchema().getFields().size() > JoinPlan.PAYLOAD + 2) {
                    ((BigIntVector) root.getVector(JoinPlan.PAYLOAD + 2)).setSafe(i, i * factor);
                }
                for (int c = JoinPlan.PAYLOAD + 3; c < root.getSchema().getFields().size(); c++) {
                    ((VarCharVector) root.getVector(c)).setSafe(i, keys[i].getBytes(StandardCharsets.UTF_8));
                }
            }
            root.setRowCount(keys.length);
            return ShardData.load(spill, allocator, List.of(), List.of(root));
        }
    }

    /** ts, a string key k, a 64-bit value v. */
    private static Schema keyValueTable()
    {
        return new Schema(List.of(
                new Field("ts", FieldType.nullable(new ArrowType.Timestamp(TimeUnit.MICROSECOND, null)), null),
                new Field("k", FieldType.nullable(ArrowType.Utf8.INSTANCE), null),
                new Field("v", FieldType.nullable(new ArrowType.Int(64, true)), null)));
    }

    private JoinPlan plan(Schema table, BufferAllocator allocator)
    {
        for (String side : List.of("left", "right")) {
            try (ParquetSink sink = new ParquetSink(temp.resolve(side + ".parquet"), table, 1 << 20, 100);
                    VectorSchemaRoot root = VectorSchemaRoot.create(table, allocator)) {
                root.allocateNew();
                ((TimeStampMicroVector) root.getVector(0)).setSafe(0, 1);
                ((VarCharVector) root.getVector(1)).setSafe(0, "a".getBytes(StandardCharsets.UTF_8));
                ((BigIntVector) root.getVector(2)).setSafe(0, 1);
                root.setRowCount(1);
                sink.write(root);
            }
        }
        JoinSpec spec = new JoinSpec("ts", "ts", List.of("k"), List.of("k"), Direction.BACKWARD, null, true, How.LEFT, "_x", "_y",
                false, Validate.MANY_TO_MANY, 1L << 40, NullKeys.MATCH);
        return new JoinPlan(spec, InputTable.open(temp.resolve("left.parquet").toString()), InputTable.open(temp.resolve("right.parquet").toString()));
    }

    /** Rows of a spill schema with the given keys and values, every one with the same hash. */
    private static ShardData rows(SpillLayout spill, BufferAllocator allocator, String[] keys, long[] values)
    {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(spill.schema(), allocator)) {
            root.allocateNew();
            for (int i = 0; i < keys.length; i++) {
                ((BigIntVector) root.getVector(JoinPlan.ON)).setSafe(i, values[i]);
                ((BigIntVector) root.getVector(JoinPlan.ORD)).setSafe(i, i);
                ((BigIntVector) root.getVector(JoinPlan.HASH)).setSafe(i, 42);
                ((TimeStampMicroVector) root.getVector(JoinPlan.PAYLOAD)).setSafe(i, values[i]);
                ((VarCharVector) root.getVector(JoinPlan.PAYLOAD + 1)).setSafe(i, keys[i].getBytes(StandardCharsets.UTF_8));
                ((BigIntVector) root.getVector(JoinPlan.PAYLOAD + 2)).setSafe(i, values[i]);
            }
            root.setRowCount(keys.length);
            return ShardData.load(spill, allocator, List.of(), List.of(root));
        }
    }
}
