package org.defpi.sdk;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.JAXBIntrospector;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.xml.namespace.QName;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.defpi.wire.message.UnknownMessageException;

/**
 * The codec of an XSD interface version (WIRE.md section 5): a payload is the XML document JAXB
 * marshals, with no name prefix; its root element tells the message type.
 *
 * <pre>
 *   payload = &lt;?xml version="1.0" encoding="UTF-8" standalone="yes"?&gt;
 *             &lt;f:instruction xmlns:f="urn:example" xmlns:xsi="..." xsi:type="f:Curtailment"&gt;...&lt;/f:instruction&gt;
 *             ^ root element: which message type      ^ the value's own type, when it is a subtype
 * </pre>
 *
 * <p>Each message type is sent as one root element. An element declared with a named type reaches
 * JAXB as a {@link JAXBElement}; this codec unwraps it on decode, so a handler gets the value, and
 * wraps values back in their element on encode. A value of a subtype of a message type (an
 * extension of an abstract type, say) is sent as the message type's element with {@code xsi:type}.
 *
 * <p>A message type whose schema declares no element was sent by the original dEF-Pi tools as an
 * element named after the type, in no namespace; every message type is also read from that
 * element, so such peers interoperate.
 *
 * <p>The {@link JAXBContext} is built once, by {@link Builder#build()}; the codec is immutable and
 * safe for concurrent use (marshallers are made per call, as JAXB's are not thread-safe). DTDs and
 * external entities are refused when reading.
 */
public final class XmlMessageCodec implements MessageCodec {
  private final JAXBContext context;
  private final Map<Class<?>, Root> sendAs;
  private final Map<QName, Class<?>> readAs;
  private final XMLInputFactory inputs;

  /** How a message type is written: the root element and that element's declared type. */
  private record Root(QName element, Class<?> elementType) {}

  private XmlMessageCodec(JAXBContext context, Map<Class<?>, Root> sendAs, Map<QName, Class<?>> readAs) {
    this.context = context;
    this.sendAs = Map.copyOf(sendAs);
    this.readAs = Map.copyOf(readAs);
    this.inputs = XMLInputFactory.newFactory();
    inputs.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    inputs.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
  }

  /**
   * A codec builder whose JAXB context knows {@code contextClasses} (for generated code, the
   * package's {@code ObjectFactory}, which names every type and element of the schema) besides the
   * message types added to it.
   */
  public static Builder builder(Class<?>... contextClasses) {
    return new Builder(List.of(contextClasses));
  }

  /** The message types, each with the root element it is sent as. */
  public Map<Class<?>, QName> messageTypes() {
    return sendAs.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> e.getValue().element()));
  }

  /**
   * @param message a value of a message type (or of a subtype), or a {@link JAXBElement} holding one
   * @throws IllegalArgumentException the message is of no message type of this codec, or JAXB cannot
   *     marshal it
   */
  @Override
  public byte[] encode(Object message) {
    Object root;
    if (message instanceof JAXBElement<?> element) {
      if (messageType(element.getDeclaredType()) == null) {
        throw refused(element.getDeclaredType());
      }
      root = element;
    } else {
      Class<?> type = message == null ? null : messageType(message.getClass());
      if (type == null) {
        throw refused(message == null ? null : message.getClass());
      }
      root = element(sendAs.get(type), message);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Marshaller marshaller = context.createMarshaller();
      marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
      marshaller.marshal(root, out);
    } catch (JAXBException e) {
      throw new IllegalArgumentException("cannot marshal " + message.getClass().getName() + ": " + reason(e), e);
    }
    return out.toByteArray();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static JAXBElement<?> element(Root root, Object value) {
    return new JAXBElement(root.element(), root.elementType(), value);
  }

  /**
   * @return the value of the document's root element, never a {@link JAXBElement}
   * @throws UnknownMessageException the payload is no well-formed XML document, its root element is
   *     not one this schema declares, or its value is of no message type of this codec
   */
  @Override
  public Object decode(byte[] payload) throws UnknownMessageException {
    XMLStreamReader reader = null;
    try {
      // XMLInputFactory promises no thread safety; making a reader is cheap next to reading it.
      synchronized (inputs) {
        reader = inputs.createXMLStreamReader(new ByteArrayInputStream(payload));
      }
      QName rootName = reader.nextTag() == XMLStreamConstants.START_ELEMENT ? reader.getName() : null;
      Class<?> declared = readAs.get(rootName);
      Object value;
      try {
        value = declared != null
            ? context.createUnmarshaller().unmarshal(reader, declared).getValue()
            : JAXBIntrospector.getValue(context.createUnmarshaller().unmarshal(reader));
      } catch (JAXBException e) {
        throw new UnknownMessageException("cannot read root element " + rootName + ": " + reason(e)
            + "; expected one of " + readAs.keySet(), e);
      }
      // Anything but blanks, comments and processing instructions after the root is not ours.
      while (reader.hasNext()) {
        int event = reader.next();
        if (event == XMLStreamConstants.START_ELEMENT
            || (event == XMLStreamConstants.CHARACTERS && !reader.isWhiteSpace())) {
          throw new UnknownMessageException("content after the root element " + rootName);
        }
      }
      if (value == null || messageType(value.getClass()) == null) {
        throw new UnknownMessageException("root element " + rootName + " holds "
            + (value == null ? "nothing" : "a " + value.getClass().getName())
            + ", not a message type of this interface version (" + names() + ")");
      }
      return value;
    } catch (XMLStreamException e) {
      throw new UnknownMessageException("not a well-formed XML document: " + e.getMessage(), e);
    } finally {
      close(reader);
    }
  }

  /** The message type {@code type} is sent as: itself or its nearest registered superclass; null if none. */
  private Class<?> messageType(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (sendAs.containsKey(c)) {
        return c;
      }
    }
    return null;
  }

  private IllegalArgumentException refused(Class<?> type) {
    return new IllegalArgumentException("cannot send " + (type == null ? "null" : type.getName())
        + ": this interface version sends and receives " + names());
  }

  private String names() {
    return sendAs.keySet().stream().map(Class::getSimpleName).sorted().collect(Collectors.joining(", "));
  }

  private static String reason(JAXBException e) {
    Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e.getCause();
    String message = e.getMessage() != null ? e.getMessage() : cause != null ? cause.getMessage() : null;
    return message == null ? e.getClass().getSimpleName() : message.strip();
  }

  private static void close(XMLStreamReader reader) {
    if (reader != null) {
      try {
        reader.close();
      } catch (XMLStreamException e) {
        // Closing a reader over a byte array frees nothing that could fail to be freed.
      }
    }
  }

  /** Collects the message types and builds the codec with one JAXB context. */
  public static final class Builder {
    private final List<Class<?>> contextClasses;
    private final Map<Class<?>, Root> sendAs = new LinkedHashMap<>();
    private final Map<Class<?>, Class<?>> rootElementTypes = new LinkedHashMap<>();

    private Builder(List<Class<?>> contextClasses) {
      this.contextClasses = new ArrayList<>(contextClasses);
    }

    /** A message type annotated {@code @XmlRootElement}: sent as that element. */
    public Builder message(Class<?> rootElementType) {
      Objects.requireNonNull(rootElementType, "rootElementType");
      if (!rootElementType.isAnnotationPresent(XmlRootElement.class)) {
        throw new IllegalArgumentException(rootElementType.getName()
            + " is not annotated @XmlRootElement: give the element it is sent as");
      }
      rootElementTypes.put(rootElementType, rootElementType);
      return this;
    }

    /** A message type sent as root element {@code element}, an element declared with that type. */
    public Builder message(Class<?> type, QName element) {
      return message(type, element, type);
    }

    /**
     * A message type sent as root element {@code element}, declared in the schema with type
     * {@code elementType}, a supertype of {@code type} ({@code xsi:type} tells the value's type).
     */
    public Builder message(Class<?> type, QName element, Class<?> elementType) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(element, "element");
      Objects.requireNonNull(elementType, "elementType");
      if (!elementType.isAssignableFrom(type)) {
        throw new IllegalArgumentException(element + " is declared with type " + elementType.getName()
            + ", which " + type.getName() + " does not extend");
      }
      sendAs.put(type, new Root(element, elementType));
      return this;
    }

    /**
     * @throws IllegalArgumentException JAXB cannot bind the classes, or two unrelated message types
     *     are sent as the same element
     */
    public XmlMessageCodec build() {
      List<Class<?>> classes = new ArrayList<>(contextClasses);
      classes.addAll(sendAs.keySet());
      classes.addAll(rootElementTypes.keySet());
      JAXBContext context;
      try {
        context = JAXBContext.newInstance(classes.stream().distinct().toArray(Class<?>[]::new));
      } catch (JAXBException e) {
        throw new IllegalArgumentException("JAXB cannot bind " + classes + ": " + reason(e), e);
      }
      Map<Class<?>, Root> roots = new LinkedHashMap<>(sendAs);
      for (Class<?> type : rootElementTypes.keySet()) {
        roots.putIfAbsent(type, new Root(rootElementName(context, type), type));
      }
      Map<QName, Class<?>> readAs = new LinkedHashMap<>();
      for (Root root : roots.values()) {
        Class<?> other = readAs.putIfAbsent(root.element(), root.elementType());
        if (other != null && other != root.elementType()) {
          throw new IllegalArgumentException(root.element() + " is declared both with type " + other.getName()
              + " and with type " + root.elementType().getName());
        }
      }
      // The original tools sent a type without an element of its own as <TypeName> in no namespace.
      for (Class<?> type : roots.keySet()) {
        XmlType xmlType = type.getAnnotation(XmlType.class);
        if (xmlType != null && !xmlType.name().isEmpty() && !xmlType.name().equals("##default")) {
          readAs.putIfAbsent(new QName("", xmlType.name()), type);
        }
      }
      return new XmlMessageCodec(context, roots, readAs);
    }

    private static QName rootElementName(JAXBContext context, Class<?> type) {
      try {
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        Object instance = constructor.newInstance();
        QName name = context.createJAXBIntrospector().getElementName(instance);
        if (name != null) {
          return name;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalArgumentException("cannot tell the root element of " + type.getName()
            + " (JAXB classes have a no-argument constructor): " + e, e);
      }
      throw new IllegalArgumentException("JAXB knows no root element for " + type.getName());
    }
  }

  @Override
  public String toString() {
    return "XmlMessageCodec" + Arrays.toString(sendAs.keySet().stream().map(Class::getSimpleName).sorted().toArray());
  }
}
