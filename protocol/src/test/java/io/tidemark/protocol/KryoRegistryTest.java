package io.tidemark.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KryoRegistryTest
{
    private static final List<Object> MESSAGES = List.of(
            new JoinSpec("ts", "ts", List.of("url"), List.of("url"), Direction.NEAREST, "250ms", false, How.INNER, "_l", "_r",
                    false, Validate.MANY_TO_MANY, 0, NullKeys.NEVER),
            new JoinSpec("t", "u", List.of(), List.of(), Direction.BACKWARD, null, true, How.LEFT, "_x", "_y",
                    true, Validate.ONE_TO_ONE, 1000, NullKeys.MATCH),
            new ResourceSpec(1L << 30, 2, 0, "/tmp/spill", 64L << 20, 1_000_000),
            new JobId("job-1"), new ShardId(3, 1), new AttemptId(new ShardId(3, 1), 2), new WorkerId("w-127.0.0.2"), new Epoch(7));

    /** An actor system whose cluster messages go through {@link KryoPekkoSerializer}. */
    private static ActorTestKit kryoKit(String name)
    {
        return ActorTestKit.create(name, ConfigFactory.parseString(String.join("\n",
                "pekko.actor.serializers.kryo = \"io.tidemark.protocol.KryoPekkoSerializer\"",
                "pekko.actor.serialization-bindings { \"io.tidemark.protocol.ClusterMessage\" = kryo }")));
    }

    private static Object roundTrip(Kryo kryo, Object value)
    {
        Output out = new Output(256, -1);
        kryo.writeClassAndObject(out, value);
        return kryo.readClassAndObject(new Input(out.toBytes()));
    }

    @Test
    void everyRegisteredMessageRoundTrips()
    {
        Kryo kryo = KryoRegistry.newKryo(null);
        for (Object message : MESSAGES) {
            assertThat(roundTrip(kryo, message)).isEqualTo(message);
        }
    }

    @Test
    void unregisteredClassesAreRefusedBothWays()
    {
        Kryo kryo = KryoRegistry.newKryo(null);
        assertThatThrownBy(() -> roundTrip(kryo, new ArrayList<>(List.of("x")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not registered");
        Output out = new Output(16);
        out.writeVarInt(9_999, true);   // a class id nobody registered
        assertThatThrownBy(() -> kryo.readClassAndObject(new Input(out.toBytes()))).isInstanceOf(KryoException.class)
                .hasMessageContaining("unregistered class ID");
    }

    @Test
    void clusterMessagesWithActorRefsAndArraysTravelThroughPekko()
    {
        ActorTestKit kit = kryoKit("kryo-cluster");
        try {
            Serialization serialization = SerializationExtension.get(kit.system());
            org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<io.tidemark.protocol.cluster.WorkerProtocol.Command> worker =
                    kit.createTestProbe();
            io.tidemark.protocol.cluster.FlightAddress at = new io.tidemark.protocol.cluster.FlightAddress("127.0.0.2", 4711);
            io.tidemark.protocol.cluster.JobOrder order = new io.tidemark.protocol.cluster.JobOrder(new JobId("j"), new Epoch(3),
                    (JoinSpec) MESSAGES.get(0), "/l", "/r", "/o.parquet", (ResourceSpec) MESSAGES.get(2), 16);
            io.tidemark.protocol.cluster.FragmentRef ref = new io.tidemark.protocol.cluster.FragmentRef(at, "job/map-1/left-b-3.arrows",
                    true, 3, 1, 100, 4000, new long[] {800, 0, 800, 1600}, new long[] {5, 9, 11});
            List<Object> messages = List.of(
                    new io.tidemark.protocol.cluster.CoordinatorProtocol.RequestWork(new WorkerId("w"), 1, at, worker.getRef()),
                    new io.tidemark.protocol.cluster.CoordinatorProtocol.MapDone(new JobId("j"), new Epoch(3), new WorkerId("w"), 1, 0, 100, 4000,
                            List.of(ref)),
                    new io.tidemark.protocol.cluster.WorkerProtocol.AssignReduce(0, new io.tidemark.protocol.cluster.ReduceTask(order,
                            new AttemptId(new ShardId(3, 0), 1), List.of(ref, ref), at, new long[] {7, 1_000})),
                    new io.tidemark.protocol.cluster.WorkerProtocol.AssignMap(1, new io.tidemark.protocol.cluster.MapTask(order, 2, 0, false,
                            new int[] {0, 0}, new int[] {4, 5})),
                    new io.tidemark.protocol.cluster.CoordinatorProtocol.TaskFailed(new JobId("j"), new Epoch(3), new WorkerId("w"), false, 3, 1,
                            FailureKind.INPUT_LOST, "gone", at));
            for (Object message : messages) {
                Serializer serializer = serialization.findSerializerFor(message);
                assertThat(serializer).isInstanceOf(KryoPekkoSerializer.class);
                Object back = serialization.deserialize(serializer.toBinary(message), serializer.identifier(), "").get();
                assertThat(back).usingRecursiveComparison().isEqualTo(message);
            }
        }
        finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void pekkoUsesKryoForClusterMessages()
    {
        ActorTestKit kit = kryoKit("kryo");
        try {
            Serialization serialization = SerializationExtension.get(kit.system());
            for (Object message : MESSAGES) {
                Serializer serializer = serialization.findSerializerFor(message);
                assertThat(serializer).isInstanceOf(KryoPekkoSerializer.class);
                byte[] bytes = serializer.toBinary(message);
                assertThat(serialization.deserialize(bytes, serializer.identifier(), "").get()).isEqualTo(message);
            }
        }
        finally {
            kit.shutdownTestKit();
        }
    }
}
