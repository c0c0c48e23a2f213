package org.nucleispark.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TorchThreadsTest {
    @Test
    void firstCallDecidesAndAUserSettingIsKept() {
        String before = System.getProperty(TorchThreads.PROPERTY);
        try {
            System.clearProperty(TorchThreads.PROPERTY);
            TorchThreads.perTask(3);
            assertEquals("3", System.getProperty(TorchThreads.PROPERTY));
            TorchThreads.perTask(5);
            assertEquals("3", System.getProperty(TorchThreads.PROPERTY), "DJL reads it once: later tasks cannot change it");
            System.setProperty(TorchThreads.PROPERTY, "8");
            TorchThreads.perTask(1);
            assertEquals("8", System.getProperty(TorchThreads.PROPERTY), "the user's -D setting wins");
            System.clearProperty(TorchThreads.PROPERTY);
            TorchThreads.perTask(0);
            assertEquals("1", System.getProperty(TorchThreads.PROPERTY));
        } finally {
            if (before == null) System.clearProperty(TorchThreads.PROPERTY);
            else System.setProperty(TorchThreads.PROPERTY, before);
        }
    }
}
