package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opencv.core.Core;

class TaskThreadsTest {
    @Test
    void firstCallDecidesTorchsThreadsAndAUserSettingIsKept() {
        String before = System.getProperty(TaskThreads.TORCH_PROPERTY);
        try {
            System.clearProperty(TaskThreads.TORCH_PROPERTY);
            TaskThreads.perTask(3);
            assertEquals("3", System.getProperty(TaskThreads.TORCH_PROPERTY));
            TaskThreads.perTask(5);
            assertEquals("3", System.getProperty(TaskThreads.TORCH_PROPERTY), "DJL reads it once: later tasks cannot change it");
            System.setProperty(TaskThreads.TORCH_PROPERTY, "8");
            TaskThreads.perTask(1);
            assertEquals("8", System.getProperty(TaskThreads.TORCH_PROPERTY), "the user's -D setting wins");
            System.clearProperty(TaskThreads.TORCH_PROPERTY);
            TaskThreads.perTask(0);
            assertEquals("1", System.getProperty(TaskThreads.TORCH_PROPERTY));
        } finally {
            if (before == null) System.clearProperty(TaskThreads.TORCH_PROPERTY);
            else System.setProperty(TaskThreads.TORCH_PROPERTY, before);
        }
    }

    @Test
    void openCvsPoolFollowsTheTasksCores() {
        int before = Core.getNumThreads();
        try {
            TaskThreads.perTask(2);
            assertEquals(2, Core.getNumThreads());
            TaskThreads.perTask(1);
            assertEquals(1, Core.getNumThreads(), "one core per task: OpenCV runs in the task's thread alone");
        } finally {
            Core.setNumThreads(before);
        }
    }
}
