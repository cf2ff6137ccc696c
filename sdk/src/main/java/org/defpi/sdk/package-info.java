/**
 * The API a defpi service is written against. The build tools generate a main class that builds a
 * {@link org.defpi.sdk.ServiceDefinition} and calls {@link org.defpi.sdk.ServiceRunner#run}; the
 * developer implements {@link org.defpi.sdk.Service} and one {@link
 * org.defpi.sdk.ConnectionHandler} per interface version. The machinery behind it lives in {@code
 * org.defpi.sdk.internal} and is not for services to call.
 *
 * <h2>Threading model</h2>
 *
 * <ul>
 *   <li><b>Protocol threads never run your code.</b> Every socket has its own virtual threads that
 *       read frames, answer heartbeats and handshakes, and accept or reconnect. They hand your work
 *       to the executors below and go back to the socket, so a slow method never delays a PONG and
 *       never makes a peer think this process died.
 *   <li><b>One serial executor for the service.</b> {@link org.defpi.sdk.Service#init}, {@code
 *       modify}, {@code suspend}, {@code resumeFrom} and {@code terminate} run one at a time, in
 *       the order the orchestrator asked for them. The management channel waits for each (up to
 *       {@link org.defpi.sdk.RunOptions#serviceCallTimeout()}, 30 s by default) and
 *       reports its outcome; an exception becomes an {@code ErrorMessage} for the orchestrator.
 *   <li><b>One serial executor per connection.</b> The connection manager's factory that builds a
 *       handler, the handler's {@code handle<Type>} methods and its callbacks ({@code onInterrupt},
 *       {@code resumeAfterInterrupt}, {@code onSuspend}, {@code resumeAfterSuspend}, {@code
 *       terminated}) run one at a time, in the order things happened on that connection. Different
 *       connections, and the service's executor, run in parallel: state a handler shares with the
 *       service or with other handlers needs its own synchronisation. A handler method that throws
 *       is logged and the connection stays up.
 *   <li><b>{@link org.defpi.sdk.Connection#send} may be called from any thread.</b> While the
 *       connection is CONNECTED it writes the frame before returning (so a peer that reads slowly
 *       slows the sender down); otherwise it appends to a bounded buffer (1000 messages by
 *       default) that is sent, in order, as soon as the connection is CONNECTED again. A message
 *       already written to a socket that then dies may be lost; a buffered one is not.
 *   <li>Executors' threads are virtual: blocking in a handler (I/O, waiting) costs no platform
 *       thread, but it does hold up that connection's later callbacks.
 * </ul>
 *
 * <h2>Saved state</h2>
 *
 * What {@link org.defpi.sdk.Service#suspend()} returns is handed to {@link
 * org.defpi.sdk.Service#resumeFrom(byte[])}, possibly of a newer build in another container. Write
 * it with {@link org.defpi.sdk.ServiceState}: a versioned envelope (format, service id and version,
 * payload type) around the service's own payload, which a later SDK reads or clearly refuses.
 */
package org.defpi.sdk;
