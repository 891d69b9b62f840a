package dev.keywarm.agent.instrumentation.redisson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Reading Redisson's parameters with real Netty buffers, as its codecs produce them. */
class RedissonParamsTest {

  @Test
  void aBufferIsReadWithoutMovingItsIndexes() throws Throwable {
    ByteBuf field = PooledByteBufAllocator.DEFAULT.directBuffer();
    field.writeBytes("xxprofile".getBytes(StandardCharsets.UTF_8));
    field.readerIndex(2); // only the readable bytes are what Redis receives
    try {
      assertArrayEquals(
          "profile".getBytes(StandardCharsets.UTF_8), RedissonParams.entryBytes(field));
      assertEquals(2, field.readerIndex());
      assertEquals(9, field.writerIndex());
      assertEquals(1, field.refCnt(), "not released: Redisson releases it after the attempt");
    } finally {
      field.release();
    }
  }

  @Test
  void aRepeatedFieldIsNotCopiedAgain() throws Throwable {
    byte[] first =
        RedissonParams.entryBytes(Unpooled.copiedBuffer("avatar", StandardCharsets.UTF_8));
    byte[] again =
        RedissonParams.entryBytes(Unpooled.copiedBuffer("avatar", StandardCharsets.UTF_8));
    assertSame(first, again);
  }

  @Test
  void aLongFieldIsCopiedWhole() throws Throwable {
    byte[] bytes = new byte[RedissonParams.MAX_CACHED_BYTES + 1];
    bytes[bytes.length - 1] = 7;
    assertArrayEquals(bytes, RedissonParams.entryBytes(Unpooled.wrappedBuffer(bytes)));
  }

  @Test
  void namesAreUtf8AndOtherObjectsAreNotRead() throws Throwable {
    assertArrayEquals("ü:1".getBytes(StandardCharsets.UTF_8), RedissonParams.entryBytes("ü:1"));
    assertNull(RedissonParams.entryBytes(42.0));
  }
}
