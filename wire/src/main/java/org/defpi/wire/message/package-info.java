/**
 * Payload codec for protobuf messages (WIRE.md section 5): the payload of a frame is
 *
 * <pre>
 * +---------+------------------------+-----------------------------+
 * | n: byte | simple type name,      | protobuf encoding           |
 * |         | n bytes of ASCII       | of the message              |
 * +---------+------------------------+-----------------------------+
 * </pre>
 *
 * e.g. {@code 0x10 "SetConfigMessage" ...}. Only the simple name travels, so both ends must agree
 * on what a name means: the {@link org.defpi.wire.message.ProtobufMessageCodec} is built with the
 * message types it may decode and refuses all others.
 */
package org.defpi.wire.message;
