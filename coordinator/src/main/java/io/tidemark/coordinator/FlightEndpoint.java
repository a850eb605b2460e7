package io.tidemark.coordinator;

import io.tidemark.protocol.AttemptId;
import io.tidemark.protocol.Epoch;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.Failures;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.ShardId;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.CommitBody;
import io.tidemark.protocol.cluster.FlightTransport;
import org.apache.arrow.flight.Action;
import org.apache.arrow.flight.ActionType;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.FlightServer;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.Location;
import org.apache.arrow.flight.NoOpFlightProducer;
import org.apache.arrow.flight.PutResult;
import org.apache.arrow.flight.Result;
import org.apache.arrow.memory.BufferAllocator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The Flight server of a coordinator and/or collector process. Actions: {@code submit} and {@code
 * status} (the {@link Gateway}, JSON), {@code commit} (a shard attempt asks to commit, JSON);
 * DoPut: a piece of a shard attempt's output into the {@link ShardCollector}. A role that is not
 * running here answers UNIMPLEMENTED.
 */
public final class FlightEndpoint
        implements AutoCloseable
{
    private final FlightServer server;

    private FlightEndpoint(FlightServer server)
    {
        this.server = server;
    }

    public static FlightEndpoint start(BufferAllocator allocator, String host, int port, Gateway gateway, ShardCollector collector)
            throws IOException
    {
        FlightServer server = FlightTransport.server(allocator, Location.forGrpcInsecure(host, port), new Producer(allocator, gateway, collector));
        server.start();
        return new FlightEndpoint(server);
    }

    public int port()
    {
        return server.getPort();
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
        private final Gateway gateway;
        private final ShardCollector collector;

        Producer(BufferAllocator allocator, Gateway gateway, ShardCollector collector)
        {
            this.allocator = allocator;
            this.gateway = gateway;
            this.collector = collector;
        }

        @Override
        public void doAction(CallContext context, Action action, StreamListener<Result> listener)
        {
            try {
                byte[] body = action.getBody();
                byte[] reply;
                switch (action.getType()) {
                    case "submit":
                        reply = gateway().submit(body);
                        break;
                    case "status":
                        reply = gateway().status(body);
                        break;
                    case "commit":
                        reply = commit(body);
                        break;
                    default:
                        throw CallStatus.UNIMPLEMENTED.withDescription("unknown action " + action.getType()).toRuntimeException();
                }
                listener.onNext(new Result(reply));
                listener.onCompleted();
            }
            catch (org.apache.arrow.flight.FlightRuntimeException e) {
                listener.onError(e);
            }
            catch (IOException | RuntimeException e) {
                listener.onError(status(e));
            }
        }

        @Override
        public void listActions(CallContext context, StreamListener<ActionType> listener)
        {
            if (gateway != null) {
                listener.onNext(new ActionType("submit", "plan and queue a join: JSON {left, right, output, spec, resources}"));
                listener.onNext(new ActionType("status", "a job's progress: JSON {job, waitMillis (optional: answer when the job ends or after that long, at most 1000)}"));
            }
            if (collector != null) {
                listener.onNext(new ActionType("commit", "a shard attempt asks to commit its output"));
            }
            listener.onCompleted();
        }

        @Override
        public Runnable acceptPut(CallContext context, FlightStream stream, StreamListener<PutResult> ack)
        {
            return () -> {
                try {
                    if (collector == null) {
                        throw CallStatus.UNIMPLEMENTED.withDescription("no collector runs here").toRuntimeException();
                    }
                    collector.receive(stream, allocator);
                    ack.onCompleted();
                }
                catch (org.apache.arrow.flight.FlightRuntimeException e) {
                    ack.onError(e);
                }
                catch (IOException | RuntimeException e) {
                    ack.onError(status(e));
                }
            };
        }

        private byte[] commit(byte[] body)
                throws IOException
        {
            if (collector == null) {
                throw CallStatus.UNIMPLEMENTED.withDescription("no collector runs here").toRuntimeException();
            }
            CommitBody c = Gateway.JSON.readValue(body, CommitBody.class);
            CommitDecision decision = collector.commit(new JobId(c.job()), new AttemptId(new ShardId(c.bucket(), 0), c.attempt()),
                    new Epoch(c.epoch()), c.stats());
            return decision.name().getBytes(StandardCharsets.UTF_8);
        }

        private Gateway gateway()
        {
            if (gateway == null) {
                throw CallStatus.UNIMPLEMENTED.withDescription("this is a collector; submit jobs to the coordinator's Flight port")
                        .toRuntimeException();
            }
            return gateway;
        }

        /** Deterministic failures are INVALID_ARGUMENT (do not retry); the rest UNAVAILABLE. */
        private static org.apache.arrow.flight.FlightRuntimeException status(Exception e)
        {
            FailureKind kind = Failures.classify(e);
            String message = Failures.message(e);
            return (kind == FailureKind.FATAL ? CallStatus.INVALID_ARGUMENT : CallStatus.UNAVAILABLE).withDescription(message)
                    .toRuntimeException();
        }
    }
}
