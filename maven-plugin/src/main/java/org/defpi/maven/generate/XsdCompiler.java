package org.defpi.maven.generate;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.sun.codemodel.JCodeModel;
import com.sun.codemodel.writer.FileCodeWriter;
import com.sun.tools.xjc.AbortException;
import com.sun.tools.xjc.ErrorReceiver;
import com.sun.tools.xjc.Language;
import com.sun.tools.xjc.ModelLoader;
import com.sun.tools.xjc.Options;
import com.sun.tools.xjc.model.CClassInfo;
import com.sun.tools.xjc.model.CElementInfo;
import com.sun.tools.xjc.model.CNonElement;
import com.sun.tools.xjc.model.Model;
import com.sun.tools.xjc.outline.Outline;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.xml.namespace.QName;
import org.defpi.maven.generate.MessageBinding.Received;
import org.defpi.maven.generate.ServiceLayout.VersionLayout;
import org.defpi.wire.service.Problem;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

/**
 * Runs xjc in-process on one XSD interface version, writing its JAXB classes to
 * {@code <version package>.xml}, and binds each name of the version's {@code sends} and
 * {@code receives} to a generated class and the root element it travels as.
 *
 * <p>A name is looked up as (1) the name of a global element, (2) the name of a global complex
 * type, (3) the simple name of a class xjc generated (what the original dEF-Pi tools expected). The
 * root element of a message type is: the element named; else the one global element declared with
 * that type; else that of its nearest base type, the value then carrying {@code xsi:type}; else, as
 * the original tools did, an element named after the type in no namespace. A name that is ambiguous,
 * unknown, or bound to a simple type is a problem reported at its JSON pointer.
 *
 * <p>xjc reads the very bytes the hashes are taken over; its {@code systemId} is the file's location,
 * so relative {@code xs:include}/{@code xs:import} locations resolve next to it.
 */
final class XsdCompiler {
  private XsdCompiler() {}

  /**
   * @param systemId where the file was read from (a file or http URI), for relative includes and
   *     error positions
   * @return the binding of the version's messages; empty problems list added to means success
   */
  static MessageBinding compile(VersionLayout version, String systemId, byte[] bytes, Path javaOut,
      List<Problem> problems) throws IOException {
    String at = version.pointer() + "/location";
    Options options = new Options();
    options.setSchemaLanguage(Language.XMLSCHEMA);
    options.defaultPackage = version.xmlPackage();
    options.noFileHeader = true;
    options.encoding = "UTF-8";
    options.quiet = true;
    // xjc reads the schema more than once (a checking pass, then the model): every read gets the
    // hashed bytes afresh, never the file or the URL again.
    options.addGrammar(new HashedSource(systemId, bytes));
    options.entityResolver = (publicId, id) -> systemId.equals(id) ? new HashedSource(systemId, bytes) : null;
    Errors errors = new Errors();
    JCodeModel code = new JCodeModel();
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // xjc reads its binding customisations with JAXB, which looks up its runtime through this loader.
    thread.setContextClassLoader(XsdCompiler.class.getClassLoader());
    Model model;
    Outline outline = null;
    try {
      model = ModelLoader.load(options, code, errors);
      if (model != null && errors.messages.isEmpty()) {
        outline = model.generateCode(options, errors);
      }
    } catch (AbortException e) {
      model = null;
    } finally {
      thread.setContextClassLoader(previous);
    }
    if (model == null || outline == null || !errors.messages.isEmpty()) {
      if (errors.messages.isEmpty()) {
        errors.messages.add("xjc could not compile the schema");
      }
      errors.messages.forEach(m -> problems.add(new Problem(at, "xjc: " + m)));
      return null;
    }
    Files.createDirectories(javaOut);
    code.build(new FileCodeWriter(javaOut.toFile(), options.encoding));

    Schema schema = new Schema(model);
    int before = problems.size();
    Map<String, XmlMessage> messages = new LinkedHashMap<>();
    bind(version, "sends", version.description().sends(), schema, systemId, messages, problems);
    bind(version, "receives", version.description().receives(), schema, systemId, messages, problems);
    Map<ClassName, String> handled = new LinkedHashMap<>();
    List<XmlMessage> received = new ArrayList<>();
    List<String> receives = version.description().receives();
    for (int k = 0; k < receives.size(); k++) {
      XmlMessage message = messages.get(receives.get(k));
      if (message == null) {
        continue;
      }
      String first = handled.putIfAbsent(message.type(), receives.get(k));
      if (first == null) {
        received.add(message);
      } else if (!first.equals(receives.get(k))) {
        problems.add(new Problem(version.pointer() + "/receives/" + k, "'" + receives.get(k) + "' is class "
            + message.type().simpleName() + ", as '" + first + "' is already: name each class once"));
      }
    }
    if (problems.size() > before) {
      return null;
    }
    // instanceof must try a subclass before its superclass.
    received.sort(Comparator.comparingInt(XmlMessage::depth).reversed()
        .thenComparing(m -> m.type().simpleName()));
    Map<ClassName, XmlMessage> byClass = new LinkedHashMap<>();
    for (Map.Entry<String, XmlMessage> entry : messages.entrySet()) {
      XmlMessage other = byClass.putIfAbsent(entry.getValue().type(), entry.getValue());
      if (other != null && !other.equals(entry.getValue())) {
        problems.add(new Problem(version.pointer(), "'" + entry.getKey() + "' is class " + other.type().simpleName()
            + " sent as element " + entry.getValue().element() + ", but another name of that class sends it as "
            + other.element() + ": name one of them"));
      }
    }
    if (problems.size() > before) {
      return null;
    }
    ClassName objectFactory = ClassName.get(version.xmlPackage(), "ObjectFactory");
    boolean hasFactory = Files.isRegularFile(javaOut.resolve(version.xmlPackage().replace('.', '/'))
        .resolve("ObjectFactory.java"));
    CodeBlock.Builder codec = hasFactory
        ? CodeBlock.builder().add("$T.builder($T.class)", Generated.XML_MESSAGE_CODEC, objectFactory)
        : CodeBlock.builder().add("$T.builder()", Generated.XML_MESSAGE_CODEC);
    for (XmlMessage m : byClass.values().stream().sorted(Comparator.comparing(m -> m.type().simpleName())).toList()) {
      CodeBlock element = CodeBlock.of("new $T($S, $S)", QName.class, m.element().getNamespaceURI(), m.element().getLocalPart());
      if (m.elementType().equals(m.type())) {
        codec.add("\n.message($T.class, $L)", m.type(), element);
      } else {
        codec.add("\n.message($T.class, $L, $T.class)", m.type(), element, m.elementType());
      }
    }
    codec.add("\n.build()");
    return new MessageBinding(
        received.stream().map(m -> new Received("handle" + m.type().simpleName(), m.type())).toList(), codec.build());
  }

  /** One message type: its class, the root element it travels as, that element's declared type. */
  private record XmlMessage(ClassName type, QName element, ClassName elementType, int depth) {}

  private static void bind(VersionLayout version, String field, List<String> names, Schema schema, String file,
      Map<String, XmlMessage> messages, List<Problem> problems) {
    for (int k = 0; k < names.size(); k++) {
      String name = names.get(k);
      if (messages.containsKey(name)) {
        continue;
      }
      String at = version.pointer() + "/" + field + "/" + k;
      try {
        messages.put(name, schema.message(name));
      } catch (Unbound e) {
        problems.add(new Problem(at, "'" + name + "' " + e.getMessage() + " in " + readable(file)));
      }
    }
  }

  /** The global elements, complex types and classes of a compiled schema. */
  private static final class Schema {
    /** Global elements by local name: the class of an anonymous type, or the element info. */
    private final Map<String, List<Object>> elements = new LinkedHashMap<>();
    private final Map<String, List<CClassInfo>> types = new LinkedHashMap<>();
    private final Map<String, CClassInfo> classes = new LinkedHashMap<>();

    Schema(Model model) {
      for (CClassInfo c : model.beans().values()) {
        if (c.isElement()) {
          elements.computeIfAbsent(c.getElementName().getLocalPart(), n -> new ArrayList<>()).add(c);
        }
        if (c.getTypeName() != null) {
          types.computeIfAbsent(c.getTypeName().getLocalPart(), n -> new ArrayList<>()).add(c);
        }
        if (c.fullName().equals(c.getOwnerPackage().name() + "." + c.shortName)) {
          classes.put(c.shortName, c);
        }
      }
      for (CElementInfo e : model.getAllElements()) {
        if (e.getScope() == null) {
          elements.computeIfAbsent(e.getElementName().getLocalPart(), n -> new ArrayList<>()).add(e);
        }
      }
    }

    XmlMessage message(String name) throws Unbound {
      List<Object> named = elements.getOrDefault(name, List.of());
      if (named.size() > 1) {
        throw new Unbound("names global elements in several namespaces: "
            + named.stream().map(Schema::elementName).map(QName::toString).collect(Collectors.joining(", ")));
      }
      if (named.size() == 1) {
        return ofElement(named.get(0));
      }
      List<CClassInfo> typed = types.getOrDefault(name, List.of());
      if (typed.size() > 1) {
        throw new Unbound("names complex types in several namespaces: "
            + typed.stream().map(c -> c.getTypeName().toString()).collect(Collectors.joining(", ")));
      }
      if (typed.size() == 1) {
        return ofType(typed.get(0));
      }
      CClassInfo c = classes.get(name);
      if (c != null) {
        return c.isElement() ? ofElement(c) : ofType(c);
      }
      throw new Unbound("is neither a global element nor a global complex type (elements: "
          + String.join(", ", new TreeSet<>(elements.keySet())) + "; complex types: "
          + String.join(", ", new TreeSet<>(types.keySet())) + ")");
    }

    private static QName elementName(Object element) {
      return element instanceof CClassInfo c ? c.getElementName() : ((CElementInfo) element).getElementName();
    }

    private XmlMessage ofElement(Object element) throws Unbound {
      if (element instanceof CClassInfo c) {
        return new XmlMessage(className(c), c.getElementName(), className(c), depth(c));
      }
      CElementInfo e = (CElementInfo) element;
      CNonElement content = e.getContentType();
      if (!(content instanceof CClassInfo c)) {
        throw new Unbound("is a global element of simple type " + content.getTypeName()
            + ": a message is of a complex type");
      }
      return new XmlMessage(className(c), e.getElementName(), className(c), depth(c));
    }

    private XmlMessage ofType(CClassInfo type) throws Unbound {
      for (CClassInfo base = type; base != null; base = base.getBaseClass()) {
        List<QName> declared = elementsOf(base);
        if (declared.size() > 1) {
          throw new Unbound((base == type ? "is" : "extends " + base.getTypeName().getLocalPart() + ", which is")
              + " the type of several global elements (" + declared.stream().map(QName::toString)
              .collect(Collectors.joining(", ")) + "): name the element to send it as");
        }
        if (declared.size() == 1) {
          return new XmlMessage(className(type), declared.get(0), className(base), depth(type));
        }
      }
      // What the original tools did for a class without a root element.
      String local = type.getTypeName() != null ? type.getTypeName().getLocalPart() : type.shortName;
      return new XmlMessage(className(type), new QName("", local), className(type), depth(type));
    }

    private List<QName> elementsOf(CClassInfo type) {
      List<QName> declared = new ArrayList<>();
      for (List<Object> sameName : elements.values()) {
        for (Object element : sameName) {
          if (element instanceof CElementInfo e && e.getContentType() == type) {
            declared.add(e.getElementName());
          }
        }
      }
      return declared;
    }

    private static ClassName className(CClassInfo c) {
      String pkg = c.getOwnerPackage().name();
      List<String> names = List.of(c.fullName().substring(pkg.isEmpty() ? 0 : pkg.length() + 1).split("\\."));
      return ClassName.get(pkg, names.get(0), names.subList(1, names.size()).toArray(String[]::new));
    }

    private static int depth(CClassInfo c) {
      int depth = 0;
      for (CClassInfo base = c.getBaseClass(); base != null; base = base.getBaseClass()) {
        depth++;
      }
      return depth;
    }
  }

  /** A file's path rather than its URI, as protoc's errors name files; a URL as it is. */
  static String readable(String systemId) {
    if (systemId.startsWith("file:")) {
      try {
        return Path.of(java.net.URI.create(systemId)).toString();
      } catch (IllegalArgumentException e) {
        return systemId;
      }
    }
    return systemId;
  }

  /** The bytes the hashes are taken over, as a new stream on every read. */
  private static final class HashedSource extends InputSource {
    private final byte[] bytes;

    HashedSource(String systemId, byte[] bytes) {
      super(systemId);
      this.bytes = bytes;
    }

    @Override
    public java.io.InputStream getByteStream() {
      return new ByteArrayInputStream(bytes);
    }
  }

  /** A sends/receives name that binds to no message type; the message says why. */
  private static final class Unbound extends Exception {
    Unbound(String message) {
      super(message);
    }
  }

  /** Collects xjc's errors with their positions; warnings are dropped. */
  private static final class Errors extends ErrorReceiver {
    final List<String> messages = new ArrayList<>();

    @Override
    public void error(SAXParseException e) {
      messages.add(position(e) + e.getMessage());
    }

    @Override
    public void fatalError(SAXParseException e) {
      error(e);
    }

    @Override
    public void warning(SAXParseException e) {}

    @Override
    public void info(SAXParseException e) {}

    private static String position(SAXParseException e) {
      if (e.getSystemId() == null) {
        return "";
      }
      return readable(e.getSystemId()) + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": ";
    }
  }
}
