package org.defpi.wire.service;

/** How an interface's messages are described and encoded. */
public enum InterfaceType {
  /** Protocol Buffers: name-prefixed protobuf payloads. */
  PROTO,
  /** XML Schema: JAXB-marshalled XML documents. */
  XSD
}
