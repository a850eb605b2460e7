package io.tidemark.protocol.cluster;

import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.FlightClient;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlightTransportTest
{
    /** Answers an action with its own body. */
    private static final class Echo
            extends NoOpFlightProducer
    {
        @Override
        public void doAction(CallContext context, Action action, StreamListener<Result> listener)
        {
            listener.onNext(new Result(action.getBody()));
            listener.onCompleted();
        }
    }

    /**
     * A server and a client on the process's own groups talk; once both are closed, shutdown ends
     * every one of the groups' threads (none is left waiting in the kernel for the JVM's exit to wait
     * on), and the next server and client start new groups.
     */
    @Test
    void serversAndClientsTalkAndShutdownEndsTheirThreads()
            throws Exception
    {
        for (int round = 0; round < 2; round++) {
            try (BufferAllocator allocator = new RootAllocator()) {
                try (FlightServer server = FlightTransport.server(allocator, Location.forGrpcInsecure("127.0.0.1", 0), new Echo()).start();
                        FlightClient client = FlightTransport.client(allocator, Location.forGrpcInsecure("127.0.0.1", server.getPort()))) {
                    Iterator<Result> results = client.doAction(new Action("echo", ("round " + round).getBytes(StandardCharsets.UTF_8)));
                    assertEquals("round " + round, new String(results.next().getBody(), StandardCharsets.UTF_8));
                    assertEquals(false, flightThreads().isEmpty(), "the groups run threads while in use");
                }
            }
            FlightTransport.shutdown();
            assertEquals(List.of(), flightThreads());
        }
    }

    private static List<String> flightThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("tidemark-flight"))
                .collect(Collectors.toList());
    }
}
