/**
 * Framing of WIRE.md section 5, shared by the management channel and data connections.
 *
 * <pre>
 * +----------------+---------------------------+------+
 * | length: int32  | payload: length bytes     | 0xFF |
 * | big-endian     |                           | EOM  |
 * +----------------+---------------------------+------+
 * </pre>
 *
 * A payload of exactly one byte is a heartbeat ({@link org.defpi.wire.frame.Heartbeat}), never an
 * application message. A reader that finds another byte where 0xFF belongs skips to the next 0xFF
 * and reports the frame as corrupted; a negative length or the end of the stream ends the stream.
 * Every reader has a maximum frame length, so a peer cannot make us allocate without bound.
 */
package org.defpi.wire.frame;
