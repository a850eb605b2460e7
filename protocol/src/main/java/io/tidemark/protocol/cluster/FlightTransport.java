package io.tidemark.protocol.cluster;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightGrpcUtils;
import org.apache.arrow.flight.FlightProducer;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.memory.BufferAllocator;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The network threads of every Flight server and client of this process: one boss and one worker
 * event-loop group of Tidemark's own, instead of gRPC's shared ones, so that {@link #shutdown} can
 * stop them when the process ends. gRPC keeps its shared groups a second after their last user
 * closes, and a JVM that exits while a thread waits in the kernel's {@code epoll_wait} first waits
 * about 300 ms for it (HotSpot's exit waits for threads in native code): every run of the cluster
 * roles paid that at its end.
 */
public final class FlightTransport
{
    /** How long {@link #shutdown} waits for the groups' threads to end, at most (a process that ends must not hang on them). */
    private static final long SHUTDOWN_NANOS = TimeUnit.SECONDS.toNanos(3);

    private static EventLoopGroup boss;
    private static EventLoopGroup workers;
    private static ThreadRecorder threads;

    private FlightTransport() {}

    /** A Flight server on {@code location} (grpc+tcp) running on this process's groups. */
    public static FlightServer server(BufferAllocator allocator, Location location, FlightProducer producer)
    {
        requireNonNull(location, "location is null");
        EventLoopGroup[] groups = groups();
        Consumer<NettyServerBuilder> onGroups = builder -> builder.bossEventLoopGroup(groups[0]).workerEventLoopGroup(groups[1])
                .channelType(NioServerSocketChannel.class);
        return FlightServer.builder(allocator, location, producer).transportHint("grpc.builderConsumer", onGroups).build();
    }

    /** A Flight client of {@code location} (grpc+tcp, plaintext) running on this process's groups; closing it closes its channel. */
    public static FlightClient client(BufferAllocator allocator, Location location)
    {
        requireNonNull(location, "location is null");
        EventLoopGroup[] groups = groups();
        ManagedChannel channel = NettyChannelBuilder.forAddress(location.getUri().getHost(), location.getUri().getPort())
                .usePlaintext()
                .eventLoopGroup(groups[1])
                .channelType(NioSocketChannel.class)
                .maxTraceEvents(0)
                .maxInboundMessageSize(Integer.MAX_VALUE)
                .maxInboundMetadataSize(Integer.MAX_VALUE)
                .build();
        return FlightGrpcUtils.createFlightClient(allocator, channel);
    }

    /**
     * Stops the groups (their threads end) once every server and client on them is closed; the next
     * server or client starts new ones. Call when the process ends.
     */
    public static void shutdown()
    {
        EventLoopGroup[] groups;
        ThreadRecorder started;
        synchronized (FlightTransport.class) {
            if (boss == null) {
                return;
            }
            groups = new EventLoopGroup[] {boss, workers};
            started = threads;
            boss = null;
            workers = null;
            threads = null;
        }
        long deadline = System.nanoTime() + SHUTDOWN_NANOS;
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        for (EventLoopGroup group : groups) {
            group.terminationFuture().awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        // a group's termination is signalled from its threads before they return: wait for the returns
        started.join(deadline);
    }

    private static synchronized EventLoopGroup[] groups()
    {
        if (boss == null) {
            threads = new ThreadRecorder();
            boss = new NioEventLoopGroup(1, threads.factory("tidemark-flight-boss"));
            workers = new NioEventLoopGroup(0, threads.factory("tidemark-flight"));
        }
        return new EventLoopGroup[] {boss, workers};
    }

    /** The threads one generation of groups started, so that shutdown can wait for each to end. */
    private static final class ThreadRecorder
    {
        private final List<Thread> started = new CopyOnWriteArrayList<>();

        DefaultThreadFactory factory(String prefix)
        {
            return new DefaultThreadFactory(prefix, true)
            {
                @Override
                protected Thread newThread(Runnable runnable, String name)
                {
                    Thread thread = super.newThread(runnable, name);
                    started.add(thread);
                    return thread;
                }
            };
        }

        void join(long deadlineNanos)
        {
            boolean interrupted = false;
            for (Thread thread : started) {
                long left = deadlineNanos - System.nanoTime();
                while (thread.isAlive() && left > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedJoin(thread, left);
                    }
                    catch (InterruptedException e) {
                        interrupted = true;
                    }
                    left = deadlineNanos - System.nanoTime();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
