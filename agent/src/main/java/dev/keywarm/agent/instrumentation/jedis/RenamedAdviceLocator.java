package dev.keywarm.agent.instrumentation.jedis;

import java.io.IOException;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.Remapper;

/**
 * Serves {@link JedisLibrary#advice} names of a library other than Jedis: the Jedis advice class's
 * bytecode, read from {@code source}, with every {@code redis.clients.jedis} type renamed into the
 * library's root and the class itself renamed. Byte Buddy only reads advice bytecode to inline it;
 * the renamed class is never loaded. One advice source thus serves Jedis and valkey-java alike.
 */
public final class RenamedAdviceLocator implements ClassFileLocator {

  private static final String JEDIS_ROOT = "redis/clients/jedis/";

  private final ClassFileLocator source;

  public RenamedAdviceLocator(ClassFileLocator source) {
    this.source = source;
  }

  @Override
  public Resolution locate(String name) throws IOException {
    for (JedisLibrary library : JedisLibrary.values()) {
      if (library != JedisLibrary.JEDIS && name.endsWith(library.suffix())) {
        String original = name.substring(0, name.length() - library.suffix().length());
        Resolution resolution = source.locate(original);
        return resolution.isResolved()
            ? new Resolution.Explicit(rename(resolution.resolve(), original, name, library))
            : resolution;
      }
    }
    return new Resolution.Illegal(name);
  }

  private static byte[] rename(byte[] classFile, String from, String to, JedisLibrary library) {
    String fromInternal = from.replace('.', '/');
    String toInternal = to.replace('.', '/');
    String root = library.root().replace('.', '/') + "/";
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(
        new ClassRemapper(
            writer,
            new Remapper() {
              @Override
              public String map(String internalName) {
                if (internalName.equals(fromInternal)) {
                  return toInternal;
                }
                return internalName.startsWith(JEDIS_ROOT)
                    ? root + internalName.substring(JEDIS_ROOT.length())
                    : internalName;
              }
            }),
        0);
    return writer.toByteArray();
  }

  @Override
  public void close() throws IOException {
    // the source locator is closed by its owner
  }
}
