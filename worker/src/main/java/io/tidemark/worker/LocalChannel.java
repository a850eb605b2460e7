package io.tidemark.worker;

import io.tidemark.engine.shard.ShardSink;
import org.apache.arrow.vector.VectorSchemaRoot;

import static java.util.Objects.requireNonNull;

/** An output stream handed to a collector in this JVM: each batch is written by the collector's own sink, then closed. */
final class LocalChannel
        implements PieceShipment.Channel
{
    private final ShardSink sink;
    private boolean closed;

    LocalChannel(ShardSink sink)
    {
        this.sink = requireNonNull(sink, "sink is null");
    }

    @Override
    public void put(VectorSchemaRoot batch)
    {
        try (VectorSchemaRoot b = batch) {
            sink.write(b);
        }
    }

    @Override
    public void finish()
    {
        closed = true;
        sink.close();
    }

    @Override
    public void close()
    {
        if (!closed) {
            closed = true;
            sink.close();   // an abandoned stream: its attempt folder is never committed
        }
    }
}
