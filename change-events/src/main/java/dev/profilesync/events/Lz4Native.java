package dev.profilesync.events;

/**
 * Makes Kafka's lz4 codec run on lz4-java's native (JNI) library where this JVM can load it.
 * <p>
 * Kafka's lz4 streams ask {@code LZ4Factory.fastestInstance()} for a codec for every batch. That method tries the
 * native library by itself only when lz4-java was loaded by the system class loader; inside a Spring Boot executable
 * jar ({@code java -jar}, how every service runs) lz4-java sits in a nested jar, so it silently takes its pure-Java
 * "safe" implementation instead. Once the native library has been loaded, every later call returns the JNI codec. The
 * library ships inside lz4-java for Linux, macOS and Windows on the common architectures; where it cannot load, the
 * Java codec stays, and the reason is returned.
 */
public final class Lz4Native {

    /** Guarded by the class: {@link #prefer()} is synchronized. */
    private static String state;

    private Lz4Native() {
    }

    /**
     * Loads lz4-java's native library once per JVM, if lz4-java is on the class path.
     *
     * @return which lz4 implementation Kafka's codec uses from now on, in words for the log
     */
    public static synchronized String prefer() {
        if (state == null) {
            state = load();
        }
        return state;
    }

    private static String load() {
        try {
            Class<?> factory = Class.forName("net.jpountz.lz4.LZ4Factory");
            // nativeInstance() loads the library (or throws); fastestInstance() then answers with it
            factory.getMethod("nativeInstance").invoke(null);
            return "lz4: native (" + factory.getMethod("fastestInstance").invoke(null) + ")";
        } catch (ClassNotFoundException absent) {
            return "lz4: lz4-java is not on the class path";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException failed) {
            Throwable cause = failed instanceof java.lang.reflect.InvocationTargetException invocation
                    && invocation.getCause() != null ? invocation.getCause() : failed;
            return "lz4: the native library did not load, Java implementation in use (" + cause + ")";
        }
    }
}
