package io.tidemark.worker;

import io.tidemark.engine.partition.SpillInput;
import io.tidemark.protocol.cluster.FlightTransport;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Ticket;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Serves a worker's spilled bucket fragments (Arrow IPC files under one folder) over Flight DoGet,
 * so the worker that owns a bucket can fetch it. A ticket names a file relative to the folder;
 * nothing outside the folder can be named. Batches are sent only when the client is ready for them
 * (Flight backpressure), so a slow reader never makes the server buffer a fragment.
 */
public final class FragmentServer
        implements AutoCloseable
{
    private final FlightServer server;

    private FragmentServer(FlightServer server)
    {
        this.server = server;
    }

    public static FragmentServer start(BufferAllocator allocator, String host, int port, Path root)
            throws IOException
    {
        Path base = root.toAbsolutePath().normalize();
        FlightServer server = FlightTransport.server(allocator, Location.forGrpcInsecure(host, port), new Producer(allocator, base));
        server.start();
        return new FragmentServer(server);
    }

    public Location location()
    {
        return server.getLocation();
    }

    /** The ticket of a fragment file under the served folder. */
    public static Ticket ticket(Path relative)
    {
        return new Ticket(("fragment/" + relative.toString().replace('\\', '/')).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close()
            throws InterruptedException
    {
        server.shutdown();
        server.awaitTermination();
    }

    private static final class Producer
            extends NoOpFlightProducer
    {
        private final BufferAllocator allocator;
        private final Path root;

        Producer(BufferAllocator allocator, Path root)
        {
            this.allocator = requireNonNull(allocator, "allocator is null");
            this.root = requireNonNull(root, "root is null");
        }

        @Override
        public void getStream(CallContext context, Ticket ticket, ServerStreamListener listener)
        {
            String name = new String(ticket.getBytes(), StandardCharsets.UTF_8);
            if (!name.startsWith("fragment/")) {
                listener.error(CallStatus.INVALID_ARGUMENT.withDescription("not a fragment ticket: " + name).toRuntimeException());
                return;
            }
            Path file = root.resolve(name.substring("fragment/".length())).normalize();
            if (!file.startsWith(root)) {
                listener.error(CallStatus.INVALID_ARGUMENT.withDescription("outside the fragment folder: " + name).toRuntimeException());
                return;
            }
            try (ArrowStreamReader reader = new ArrowStreamReader(SpillInput.open(file, allocator), allocator)) {
                VectorSchemaRoot batch = reader.getVectorSchemaRoot();
                listener.start(batch);
                while (reader.loadNextBatch()) {
                    while (!listener.isReady() && !listener.isCancelled()) {
                        Thread.onSpinWait();
                    }
                    if (listener.isCancelled()) {
                        return;
                    }
                    listener.putNext();
                }
                listener.completed();
            }
            catch (NoSuchFileException e) {
                listener.error(CallStatus.NOT_FOUND.withDescription("no fragment " + name).toRuntimeException());
            }
            catch (IOException | RuntimeException e) {
                listener.error(CallStatus.INTERNAL.withDescription("cannot read fragment " + name + ": " + e.getMessage()).toRuntimeException());
            }
        }
    }
}
