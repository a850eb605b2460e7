package io.tidemark.coordinator;

import io.tidemark.engine.io.ParquetSink;
import io.tidemark.engine.partition.SpillDir;
import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.ShardId;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Receives shard output over Flight DoPut and commits each shard exactly once. Every attempt is
 * written to its own temporary file as row-group-bounded Parquet; when its stream ends the attempt
 * asks the {@link CommitAuthority}: the first may rename its file into place, any other attempt's
 * file is deleted. The put result says "committed" or why not.
 */
public final class ShardCollector
        implements AutoCloseable
{
    private final FlightServer server;

    private ShardCollector(FlightServer server)
    {
        this.server = server;
    }

    public static ShardCollector start(BufferAllocator allocator, String host, int port, Path dataDir, CommitAuthority authority,
            long rowGroupBytes, int rowGroupRows)
            throws IOException
    {
        Files.createDirectories(dataDir.resolve("_attempts"));
        FlightServer server = FlightServer.builder(allocator, Location.forGrpcInsecure(host, port),
                new Producer(allocator, dataDir, authority, rowGroupBytes, rowGroupRows)).build();
        server.start();
        return new ShardCollector(server);
    }

    public Location location()
    {
        return server.getLocation();
    }

    /** The descriptor an attempt puts its output under. */
    public static FlightDescriptor descriptor(AttemptId attempt, Epoch epoch)
    {
        return FlightDescriptor.path("shard", Integer.toString(attempt.shard().bucket()), Integer.toString(attempt.shard().piece()),
                Integer.toString(attempt.number()), Long.toString(epoch.value()));
    }

    /** Where a committed shard's file lives. */
    public static Path committedFile(Path dataDir, ShardId shard)
    {
        return dataDir.resolve(shard.fileName() + ".parquet");
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
        private final Path dataDir;
        private final CommitAuthority authority;
        private final long rowGroupBytes;
        private final int rowGroupRows;

        Producer(BufferAllocator allocator, Path dataDir, CommitAuthority authority, long rowGroupBytes, int rowGroupRows)
        {
            this.allocator = requireNonNull(allocator, "allocator is null");
            this.dataDir = requireNonNull(dataDir, "dataDir is null");
            this.authority = requireNonNull(authority, "authority is null");
            this.rowGroupBytes = rowGroupBytes;
            this.rowGroupRows = rowGroupRows;
        }

        @Override
        public Runnable acceptPut(CallContext context, FlightStream stream, StreamListener<PutResult> ack)
        {
            return () -> {
                List<String> path = stream.getDescriptor().getPath();
                if (path.size() != 5 || !path.get(0).equals("shard")) {
                    ack.onError(CallStatus.INVALID_ARGUMENT.withDescription("not a shard descriptor: " + path).toRuntimeException());
                    return;
                }
                ShardId shard = new ShardId(Integer.parseInt(path.get(1)), Integer.parseInt(path.get(2)));
                AttemptId attempt = new AttemptId(shard, Integer.parseInt(path.get(3)));
                Epoch epoch = new Epoch(Long.parseLong(path.get(4)));
                Path file = dataDir.resolve("_attempts").resolve(shard.fileName() + "-a" + attempt.number() + ".parquet");
                try {
                    Files.deleteIfExists(file);
                    Schema schema = outputSchema(stream.getSchema());
                    try (ParquetSink sink = new ParquetSink(file, schema, rowGroupBytes, rowGroupRows)) {
                        while (stream.next()) {
                            sink.write(stream.getRoot());
                        }
                    }
                    CommitAuthority.Decision decision = authority.request(attempt, epoch);
                    if (decision == CommitAuthority.Decision.COMMIT) {
                        Files.move(file, committedFile(dataDir, shard), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    }
                    else {
                        SpillDir.deleteTree(file);
                    }
                    reply(ack, decision == CommitAuthority.Decision.COMMIT ? "committed" : decision.name().toLowerCase());
                    ack.onCompleted();
                }
                catch (IOException | RuntimeException e) {
                    SpillDir.deleteTree(file);
                    ack.onError(CallStatus.INTERNAL.withDescription("cannot collect " + attempt + ": " + e.getMessage()).toRuntimeException());
                }
            };
        }

        private void reply(StreamListener<PutResult> ack, String text)
        {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            try (ArrowBuf buf = allocator.buffer(bytes.length)) {
                buf.writeBytes(bytes);
                ack.onNext(PutResult.metadata(buf));
            }
        }

        /** Shard batches carry the left on key and ordinal last for the single-file merge; files hold the output columns. */
        private static Schema outputSchema(Schema shipped)
        {
            return new Schema(shipped.getFields().stream()
                    .filter(f -> !f.getName().equals("__on") && !f.getName().equals("__ord"))
                    .collect(Collectors.<Field>toList()));
        }
    }
}
