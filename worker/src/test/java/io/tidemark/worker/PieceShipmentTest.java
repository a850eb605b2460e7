package io.tidemark.worker;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A piece's output goes out as one stream per output range, in on-key order, each closed before the next opens. */
class PieceShipmentTest
{
    private static final Schema SHIPPED = new Schema(List.of(
            new Field("v", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("__on", FieldType.nullable(new ArrowType.Int(64, true)), null),
            new Field("__ord", FieldType.notNullable(new ArrowType.Int(64, true)), null)));

    private final BufferAllocator allocator = new RootAllocator(16 << 20);
    private final List<String> events = new ArrayList<>();

    @AfterEach
    void close()
    {
        allocator.close();   // every batch was closed by the channel that took it
    }

    @Test
    void eachRangeIsAStreamOpenedByItsFirstBatch()
    {
        long[] cuts = {100, 200};
        try (PieceShipment shipment = new PieceShipment(cuts, this::channel)) {
            assertThat(events).isEmpty();   // ranges open lazily: an empty range leaves no run
            shipment.put(batch(10L, 50L));
            shipment.put(batch(60L, 99L));
            shipment.put(batch(250L, null));   // range 1 has no rows; NULL keys sort last, in the last range
            shipment.finish();
        }
        assertThat(events).containsExactly("open 0", "put 0: 2 rows", "put 0: 2 rows", "finish 0", "close 0",
                "open 2", "put 2: 2 rows", "finish 2", "close 2");
    }

    @Test
    void withoutRangesTheOneStreamOpensAtOnce()
    {
        try (PieceShipment shipment = new PieceShipment(new long[0], this::channel)) {
            shipment.finish();
        }
        assertThat(events).containsExactly("open 0", "finish 0", "close 0");
    }

    @Test
    void aBatchOfAnEarlierRangeIsRefused()
    {
        try (PieceShipment shipment = new PieceShipment(new long[] {100}, this::channel)) {
            shipment.put(batch(150L));
            assertThatThrownBy(() -> shipment.put(batch(20L))).isInstanceOf(IllegalStateException.class).hasMessageContaining("out of on-key order");
        }
        assertThat(events).containsExactly("open 1", "put 1: 1 rows", "close 1");   // abandoned: closed, never finished
    }

    private PieceShipment.Channel channel(int range)
    {
        events.add("open " + range);
        return new PieceShipment.Channel()
        {
            @Override
            public void put(VectorSchemaRoot batch)
            {
                events.add("put " + range + ": " + batch.getRowCount() + " rows");
                batch.close();
            }

            @Override
            public void finish()
            {
                events.add("finish " + range);
            }

            @Override
            public void close()
            {
                events.add("close " + range);
            }
        };
    }

    private VectorSchemaRoot batch(Long... keys)
    {
        VectorSchemaRoot root = VectorSchemaRoot.create(SHIPPED, allocator);
        root.allocateNew();
        BigIntVector on = (BigIntVector) root.getVector("__on");
        for (int i = 0; i < keys.length; i++) {
            ((BigIntVector) root.getVector("v")).set(i, i);
            if (keys[i] == null) {
                on.setNull(i);
            }
            else {
                on.set(i, keys[i]);
            }
            ((BigIntVector) root.getVector("__ord")).set(i, i);
        }
        root.setRowCount(keys.length);
        return root;
    }
}
