package io.tidemark.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.util.ArrayList;
import java.util.List;

/**
 * The one list of classes that may travel between roles, each with a fixed id. Registration is
 * required: writing an unregistered class fails, and bytes naming an unknown id are refused, so
 * nothing outside this list is ever instantiated from the wire.
 */
public final class KryoRegistry
{
    private KryoRegistry() {}

    public static Kryo newKryo(ClassLoader loader)
    {
        Kryo kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        if (loader != null) {
            kryo.setClassLoader(loader);
        }
        ImmutableListSerializer lists = new ImmutableListSerializer();
        kryo.register(List.of().getClass(), lists, 10);
        kryo.register(List.of("a").getClass(), lists, 11);
        kryo.register(List.of("a", "b", "c").getClass(), lists, 12);
        kryo.register(String.class, 13);
        kryo.register(Direction.class, 20);
        kryo.register(How.class, 21);
        kryo.register(NullKeys.class, 22);
        kryo.register(Validate.class, 23);
        kryo.register(FailureKind.class, 24);
        kryo.register(JoinSpec.class, 30);
        kryo.register(ResourceSpec.class, 31);
        kryo.register(JobId.class, 40);
        kryo.register(ShardId.class, 41);
        kryo.register(AttemptId.class, 42);
        kryo.register(WorkerId.class, 43);
        kryo.register(Epoch.class, 44);
        return kryo;
    }

    /** JDK immutable lists (List.of, List.copyOf) written as size and elements, read back immutable. */
    private static final class ImmutableListSerializer
            extends Serializer<List<Object>>
    {
        ImmutableListSerializer()
        {
            setImmutable(true);
        }

        @Override
        public void write(Kryo kryo, Output output, List<Object> list)
        {
            output.writeVarInt(list.size(), true);
            for (Object element : list) {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type)
        {
            int size = input.readVarInt(true);
            List<Object> elements = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                elements.add(kryo.readClassAndObject(input));
            }
            return List.copyOf(elements);
        }
    }
}
