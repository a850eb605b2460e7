package io.tidemark.worker;

import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.TidemarkException;
import org.apache.arrow.flight.CallOptions;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.SyncPutListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Schema;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One piece's output shipped to the collector by Flight DoPut. A batch is sent only when the
 * transport is ready for it (Flight backpressure), waiting at most {@code stall}; the batch's
 * buffers move into the put's root without a copy, and are released once sent.
 */
final class PieceUpload
        implements PieceShipment.Channel
{
    private final VectorSchemaRoot root;
    private final SyncPutListener ack = new SyncPutListener();
    private final FlightClient.ClientStreamListener stream;
    private final Duration stall;

    PieceUpload(FlightClient client, BufferAllocator allocator, FlightDescriptor descriptor, Schema schema, Duration stall)
    {
        this.root = VectorSchemaRoot.create(schema, allocator);
        this.stall = stall;
        this.stream = client.startPut(descriptor, root, ack, CallOptions.timeout(6, TimeUnit.HOURS));
    }

    /** Sends {@code batch} and closes it. */
    @Override
    public void put(VectorSchemaRoot batch)
    {
        try (VectorSchemaRoot b = batch; ArrowRecordBatch record = new VectorUnloader(b).getRecordBatch()) {
            long deadline = System.nanoTime() + stall.toNanos();
            while (!stream.isReady()) {
                if (System.nanoTime() > deadline) {
                    throw new TidemarkException(FailureKind.TRANSIENT, "the collector took no data for " + stall.toSeconds() + " s");
                }
                sleep();
            }
            new VectorLoader(root).load(record);
            stream.putNext();
        }
    }

    /** Ends the stream and waits for the collector to have written it. */
    @Override
    public void finish()
    {
        stream.completed();
        ack.getResult();
    }

    @Override
    public void close()
    {
        root.close();
        ack.close();
    }

    private static void sleep()
    {
        try {
            Thread.sleep(1);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(FailureKind.TRANSIENT, "interrupted while shipping output", e);
        }
    }
}
