package org.defpi.sdk.testing;

import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementDecl;
import jakarta.xml.bind.annotation.XmlRegistry;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlSeeAlso;
import jakarta.xml.bind.annotation.XmlType;
import javax.xml.namespace.QName;

/**
 * Hand-written JAXB classes shaped as xjc writes them for this schema (no code generator in the
 * SDK's tests):
 *
 * <pre>
 * &lt;complexType name="Instruction" abstract="true"&gt; id &lt;/complexType&gt;
 * &lt;complexType name="Curtailment"&gt; extends Instruction with maxPower &lt;/complexType&gt;
 * &lt;element name="instruction" type="f:Instruction"/&gt;           (a JAXBElement in Java)
 * &lt;element name="Status"&gt; anonymous type, attribute state &lt;/element&gt;  (@XmlRootElement)
 * &lt;complexType name="Acknowledgement"&gt; id &lt;/complexType&gt;      (no element at all)
 * </pre>
 */
public final class XmlMessages {
  public static final String NS = "urn:defpi:test:flexibility";
  public static final QName INSTRUCTION = new QName(NS, "instruction");

  private XmlMessages() {}

  @XmlAccessorType(XmlAccessType.FIELD)
  @XmlType(name = "Instruction", namespace = NS, propOrder = {"id"})
  @XmlSeeAlso({Curtailment.class})
  public abstract static class Instruction {
    @XmlElement(namespace = NS, required = true)
    public String id;
  }

  @XmlAccessorType(XmlAccessType.FIELD)
  @XmlType(name = "Curtailment", namespace = NS, propOrder = {"maxPower"})
  public static class Curtailment extends Instruction {
    @XmlElement(namespace = NS)
    public double maxPower;

    public static Curtailment of(String id, double maxPower) {
      Curtailment c = new Curtailment();
      c.id = id;
      c.maxPower = maxPower;
      return c;
    }
  }

  @XmlAccessorType(XmlAccessType.FIELD)
  @XmlType(name = "")
  @XmlRootElement(name = "Status", namespace = NS)
  public static class Status {
    @XmlAttribute(name = "state", required = true)
    public String state;

    public static Status of(String state) {
      Status s = new Status();
      s.state = state;
      return s;
    }
  }

  @XmlAccessorType(XmlAccessType.FIELD)
  @XmlType(name = "Acknowledgement", namespace = NS, propOrder = {"id"})
  public static class Acknowledgement {
    @XmlElement(namespace = NS)
    public String id;

    public static Acknowledgement of(String id) {
      Acknowledgement a = new Acknowledgement();
      a.id = id;
      return a;
    }
  }

  /** What xjc's ObjectFactory is: the registry of the schema's elements. */
  @XmlRegistry
  public static class ObjectFactory {
    public ObjectFactory() {}

    @XmlElementDecl(namespace = NS, name = "instruction")
    public JAXBElement<Instruction> createInstruction(Instruction value) {
      return new JAXBElement<>(INSTRUCTION, Instruction.class, null, value);
    }
  }
}
