package io.tidemark.protocol;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import io.tidemark.protocol.cluster.CollectorProtocol;
import io.tidemark.protocol.cluster.CommitDecision;
import io.tidemark.protocol.cluster.CoordinatorProtocol;
import io.tidemark.protocol.cluster.FlightAddress;
import io.tidemark.protocol.cluster.FragmentRef;
import io.tidemark.protocol.cluster.JobOrder;
import io.tidemark.protocol.cluster.JobStatus;
import io.tidemark.protocol.cluster.MapTask;
import io.tidemark.protocol.cluster.ReduceTask;
import io.tidemark.protocol.cluster.ShardStats;
import io.tidemark.protocol.cluster.WorkerProtocol;

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
        return newKryo(loader, null);
    }

    /**
     * @param actorRefs writes typed actor references as their serialized path (null: actor refs
     *        cannot travel, as in tests without an actor system)
     */
    public static Kryo newKryo(ClassLoader loader, Serializer<?> actorRefs)
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
        kryo.register(int[].class, 50);
        kryo.register(long[].class, 51);
        kryo.register(CommitDecision.class, 52);
        kryo.register(FlightAddress.class, 60);
        kryo.register(JobOrder.class, 61);
        kryo.register(MapTask.class, 62);
        kryo.register(FragmentRef.class, 63);
        kryo.register(ReduceTask.class, 64);
        kryo.register(ShardStats.class, 65);
        kryo.register(JobStatus.class, 66);
        kryo.register(CoordinatorProtocol.RequestWork.class, 70);
        kryo.register(CoordinatorProtocol.MapDone.class, 71);
        kryo.register(CoordinatorProtocol.TaskFailed.class, 72);
        kryo.register(CoordinatorProtocol.CommitRequest.class, 73);
        kryo.register(CoordinatorProtocol.CommitReply.class, 74);
        kryo.register(CoordinatorProtocol.CollectorUp.class, 75);
        kryo.register(CoordinatorProtocol.Submit.class, 76);
        kryo.register(CoordinatorProtocol.SubmitReply.class, 77);
        kryo.register(CoordinatorProtocol.StatusQuery.class, 78);
        kryo.register(CoordinatorProtocol.Finalized.class, 79);
        kryo.register(CoordinatorProtocol.Written.class, 83);
        kryo.register(WorkerProtocol.AssignMap.class, 80);
        kryo.register(WorkerProtocol.AssignReduce.class, 81);
        kryo.register(WorkerProtocol.JobOver.class, 82);
        kryo.register(CollectorProtocol.Finalize.class, 85);
        kryo.register(CollectorProtocol.Abandon.class, 86);
        kryo.register(CollectorProtocol.Expect.class, 87);
        if (actorRefs != null) {
            kryo.register(actorRefClass(loader), actorRefs, 90);
        }
        return kryo;
    }

    private static Class<?> actorRefClass(ClassLoader loader)
    {
        try {
            return Class.forName("org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter", false,
                    loader == null ? KryoRegistry.class.getClassLoader() : loader);
        }
        catch (ClassNotFoundException e) {
            throw new IllegalStateException("Pekko typed actors are not on the class path", e);
        }
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
