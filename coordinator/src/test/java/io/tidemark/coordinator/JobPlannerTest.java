package io.tidemark.coordinator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class JobPlannerTest
{
    private static final long MB = 1L << 20;

    @Test
    void oneWorkerSidesAreCutIntoEqualTasksPerSlot()
    {
        // taq-20M's left: 20 groups of 18 MB; by size (96 MiB) they were 6, 6, 6 and 2 groups
        long[] left = filled(20, 18 * MB);
        assertThat(JobPlanner.forSlots(left, 2)).containsExactly(5, 10, 15, 20);
        assertThat(JobPlanner.bySize(left, JobPlanner.MAP_TASK_BYTES)).containsExactly(6, 12, 18, 20);
        // its right: 4 groups of 28 MB, one task by size, which left a slot idle
        assertThat(JobPlanner.forSlots(filled(4, 28 * MB), 2)).containsExactly(2, 4);
        assertThat(JobPlanner.forSlots(filled(4, 28 * MB), 3)).containsExactly(2, 3, 4);
    }

    @Test
    void tasksFollowBytesNotGroupCounts()
    {
        long[] groups = {100 * MB, 10 * MB, 10 * MB, 10 * MB, 10 * MB, 10 * MB, 10 * MB, 10 * MB, 10 * MB, 10 * MB, 10 * MB};
        assertThat(JobPlanner.forSlots(groups, 2)).containsExactly(1, 11);
    }

    @Test
    void neverMoreTasksThanGroupsAndEveryGroupOnce()
    {
        assertThat(JobPlanner.forSlots(filled(1, 500 * MB), 4)).containsExactly(1);
        assertThat(JobPlanner.forSlots(filled(3, 500 * MB), 4)).containsExactly(1, 2, 3);
        assertThat(JobPlanner.forSlots(new long[0], 2)).isEmpty();
        // a small side: one task per slot; a large one: two
        assertThat(JobPlanner.forSlots(filled(8, MB), 2)).containsExactly(4, 8);
        assertThat(JobPlanner.forSlots(filled(8, 64 * MB), 2)).containsExactly(2, 4, 6, 8);
        long[] skewed = {MB, MB, MB, 300 * MB, MB, MB};
        int[] ends = JobPlanner.forSlots(skewed, 2);
        assertThat(ends[ends.length - 1]).isEqualTo(skewed.length);
        for (int i = 1; i < ends.length; i++) {
            assertThat(ends[i]).isGreaterThan(ends[i - 1]);
        }
        assertThat(ends[0]).isPositive();
    }

    private static long[] filled(int n, long bytes)
    {
        long[] a = new long[n];
        Arrays.fill(a, bytes);
        return a;
    }
}
