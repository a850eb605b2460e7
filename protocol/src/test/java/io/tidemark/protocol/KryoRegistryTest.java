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
    void pekkoUsesKryoForClusterMessages()
    {
        ActorTestKit kit = ActorTestKit.create("kryo", ConfigFactory.parseString(String.join("\n",
                "pekko.actor.serializers.kryo = \"io.tidemark.protocol.KryoPekkoSerializer\"",
                "pekko.actor.serialization-bindings { \"io.tidemark.protocol.ClusterMessage\" = kryo }")));
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
