package io.tidemark.coordinator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemark.protocol.FailureKind;
import io.tidemark.protocol.JobId;
import io.tidemark.protocol.JoinSpec;
import io.tidemark.protocol.ResourceSpec;
import io.tidemark.protocol.TidemarkException;
import io.tidemark.protocol.cluster.CoordinatorProtocol;
import io.tidemark.protocol.cluster.CoordinatorProtocol.SubmitReply;
import io.tidemark.protocol.cluster.JobStatus;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The client door of the coordinator, served as Flight actions with JSON bodies so any Flight client
 * (the CLI, {@code pyarrow.flight}) can use it: {@code submit} plans a join and queues it, {@code
 * status} reports its progress. Planning (footer reads) runs on the Flight thread, never in an actor,
 * unless the submitter planned the same request while the roles started ({@link #prepare}).
 */
public final class Gateway
{
    public static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration ASK = Duration.ofSeconds(30);

    /** The body of a {@code submit} action. */
    /** {@code oneWorker}: the submitter runs the cluster in its own process, one worker of its {@code resources} (may be absent: false). */
    public record SubmitRequest(String left, String right, String output, JoinSpec spec, ResourceSpec resources, Boolean oneWorker) {}

    /**
     * The body of a {@code status} action: {@code waitMillis} (may be absent) asks for the answer as
     * soon as the job has ended, or after that many milliseconds (at most {@link #MAX_WAIT_MILLIS})
     * if it has not, so a client that polls learns of the end at once.
     */
    public record StatusRequest(String job, Integer waitMillis) {}

    public static final int MAX_WAIT_MILLIS = 1000;
    /** How often a waiting status asks the coordinator again (an ask inside this JVM, not a call over the network). */
    private static final long WAIT_STEP_MILLIS = 20;

    private final ActorSystem<?> system;
    private final ActorRef<CoordinatorProtocol.Command> coordinator;
    /** Plans made ahead by a submitter in this JVM, by the request they answer; each is used once. */
    private final Map<SubmitRequest, CompletableFuture<JobPlanner.Planned>> prepared = new ConcurrentHashMap<>();

    public Gateway(ActorSystem<?> system, ActorRef<CoordinatorProtocol.Command> coordinator)
    {
        this.system = requireNonNull(system, "system is null");
        this.coordinator = requireNonNull(coordinator, "coordinator is null");
    }

    public byte[] submit(byte[] body)
            throws IOException
    {
        SubmitRequest request = JSON.readValue(body, SubmitRequest.class);
        if (request.left() == null || request.right() == null || request.output() == null || request.spec() == null
                || request.resources() == null) {
            throw TidemarkException.fatal("submit needs left, right, output, spec and resources");
        }
        JobPlanner.Planned planned = preparedPlan(request);
        if (planned == null) {
            planned = JobPlanner.plan(request.spec(), request.left(), request.right(), request.output(), request.resources(),
                    Boolean.TRUE.equals(request.oneWorker()));
        }
        SubmitReply reply = await(AskPattern.ask(coordinator, planned::submit, ASK, system.scheduler()));
        if (reply.error() != null) {
            throw TidemarkException.fatal(reply.error());
        }
        return JSON.writeValueAsBytes(java.util.Map.of("job", reply.job().value()));
    }

    /**
     * A plan of {@code request} being made ahead, by a submitter in this JVM while the roles start
     * (sampling the inputs takes about as long as starting them): its submit then waits for it
     * instead of planning again. A plan that failed is made again at the submit, so errors reach
     * the submitter as any submit's do.
     */
    public void prepare(SubmitRequest request, CompletableFuture<JobPlanner.Planned> plan)
    {
        prepared.put(requireNonNull(request, "request is null"), requireNonNull(plan, "plan is null"));
    }

    private JobPlanner.Planned preparedPlan(SubmitRequest request)
    {
        CompletableFuture<JobPlanner.Planned> plan = prepared.remove(request);
        if (plan == null) {
            return null;
        }
        try {
            return plan.join();
        }
        catch (CompletionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    public byte[] status(byte[] body)
            throws IOException
    {
        StatusRequest request = JSON.readValue(body, StatusRequest.class);
        JobId job = new JobId(request.job());
        long wait = request.waitMillis() == null ? 0 : Math.max(0, Math.min(MAX_WAIT_MILLIS, request.waitMillis()));
        long deadline = System.nanoTime() + wait * 1_000_000;
        JobStatus status = status(job);
        while (!status.finished()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                Thread.sleep(Math.min(WAIT_STEP_MILLIS, (left + 999_999) / 1_000_000));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            status = status(job);
        }
        return JSON.writeValueAsBytes(status);
    }

    private JobStatus status(JobId job)
    {
        return await(AskPattern.ask(coordinator, (ActorRef<JobStatus> replyTo) -> new CoordinatorProtocol.StatusQuery(job, replyTo), ASK,
                system.scheduler()));
    }

    static <T> T await(java.util.concurrent.CompletionStage<T> stage)
    {
        try {
            return stage.toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(FailureKind.TRANSIENT, "interrupted waiting for the coordinator", e);
        }
        catch (ExecutionException | TimeoutException e) {
            throw new TidemarkException(FailureKind.TRANSIENT, "the coordinator did not answer within " + ASK.toSeconds() + " s", e);
        }
    }
}
