package org.nucleispark.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class SerializableConfigurationTest {
    private static SerializableConfiguration roundTrip(SerializableConfiguration c) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (SerializableConfiguration) in.readObject();
        }
    }

    @Test
    void shipsTheSettingsAndEachJvmReadsAnInstanceOnce() throws Exception {
        Configuration driver = new Configuration();
        driver.set("fs.s3a.endpoint", "http://minio.test:9000");
        SerializableConfiguration shipped = new SerializableConfiguration(driver);

        Configuration task1 = roundTrip(shipped).get(), task2 = roundTrip(shipped).get();
        assertEquals("http://minio.test:9000", task1.get("fs.s3a.endpoint"));
        assertEquals(driver.size(), task1.size(), "defaults travel too: executors need not load core-default.xml");
        assertSame(task1, task2, "two tasks of one job share the configuration read once");

        Configuration otherJob = roundTrip(new SerializableConfiguration(driver)).get();
        assertNotSame(task1, otherJob, "another instance (another job) is read afresh");
        assertEquals("http://minio.test:9000", otherJob.get("fs.s3a.endpoint"));
    }
}
