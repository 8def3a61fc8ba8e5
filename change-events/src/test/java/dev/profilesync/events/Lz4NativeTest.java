package dev.profilesync.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;

/**
 * lz4-java loaded as inside an executable jar (by a class loader other than the system one): by itself its fastest
 * codec is the Java one; after {@link Lz4Native#prefer()} it is the native one.
 */
class Lz4NativeTest {

    @Test
    void anExecutableJarsLz4GetsTheNativeCodecOnlyOnceItIsPreferred() throws Exception {
        URL lz4 = Class.forName("net.jpountz.lz4.LZ4Factory").getProtectionDomain().getCodeSource().getLocation();
        URL ours = Lz4Native.class.getProtectionDomain().getCodeSource().getLocation();

        try (URLClassLoader jar = new URLClassLoader(new URL[] {lz4, ours}, ClassLoader.getPlatformClassLoader())) {
            assertThat(fastest(jar)).as("lz4-java's own choice outside the system class loader")
                    .isEqualTo("LZ4Factory:JavaSafe");
        }
        try (URLClassLoader jar = new URLClassLoader(new URL[] {lz4, ours}, ClassLoader.getPlatformClassLoader())) {
            String state = (String) jar.loadClass(Lz4Native.class.getName()).getMethod("prefer").invoke(null);
            assertThat(state).startsWith("lz4: native");
            assertThat(fastest(jar)).isEqualTo("LZ4Factory:JNI");
        }
    }

    private static String fastest(ClassLoader loader) throws Exception {
        return String.valueOf(loader.loadClass("net.jpountz.lz4.LZ4Factory").getMethod("fastestInstance")
                .invoke(null));
    }
}
