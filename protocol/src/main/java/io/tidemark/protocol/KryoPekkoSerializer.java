package io.tidemark.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import com.esotericsoftware.kryo.Serializer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko's serializer for {@link ClusterMessage}s: Kryo with the fixed registrations of
 * {@link KryoRegistry}, pooled because Kryo instances are not thread-safe. Bind it in
 * {@code pekko.actor.serializers} / {@code serialization-bindings}.
 */
public final class KryoPekkoSerializer
        extends JSerializer
{
    /** Pekko reserves 0 to 40. */
    public static final int IDENTIFIER = 7_100_001;

    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs = new Pool<>(true, false, 16)
    {
        @Override
        protected Output create()
        {
            return new Output(1024, -1);
        }
    };

    public KryoPekkoSerializer(ExtendedActorSystem system)
    {
        ClassLoader loader = system.dynamicAccess().classLoader();
        ActorRefSerializer refs = new ActorRefSerializer(system);
        this.kryos = new Pool<>(true, false, 16)
        {
            @Override
            protected Kryo create()
            {
                return KryoRegistry.newKryo(loader, refs);
            }
        };
    }

    @Override
    public int identifier()
    {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest()
    {
        return false;
    }

    @Override
    public byte[] toBinary(Object message)
    {
        Kryo kryo = kryos.obtain();
        Output output = outputs.obtain();
        try {
            output.reset();
            kryo.writeClassAndObject(output, message);
            return output.toBytes();
        }
        finally {
            outputs.free(output);
            kryos.free(kryo);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest)
    {
        Kryo kryo = kryos.obtain();
        try {
            return kryo.readClassAndObject(new Input(bytes));
        }
        finally {
            kryos.free(kryo);
        }
    }

    /** A typed actor reference as its serialization format, resolved lazily (the typed system starts after the serializer). */
    private static final class ActorRefSerializer
            extends Serializer<ActorRef<?>>
    {
        private final ExtendedActorSystem system;
        private volatile ActorRefResolver resolver;

        ActorRefSerializer(ExtendedActorSystem system)
        {
            this.system = system;
            setImmutable(true);
        }

        private ActorRefResolver resolver()
        {
            ActorRefResolver r = resolver;
            if (r == null) {
                r = ActorRefResolver.get(Adapter.toTyped(system));
                resolver = r;
            }
            return r;
        }

        @Override
        public void write(Kryo kryo, Output output, ActorRef<?> ref)
        {
            output.writeString(resolver().toSerializationFormat(ref));
        }

        @Override
        public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type)
        {
            return resolver().resolveActorRef(input.readString());
        }
    }
}
