package dev.drydock.blueprint.libvirt;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Builds and reads libvirt's XML through the JDK's DOM, so every value is escaped by the
 * serializer and never by hand, and a document from the hypervisor is parsed without DTDs or
 * external entities.
 */
final class Xml {
    private final Document document;

    private Xml(Document document) {
        this.document = document;
    }

    static Xml newDocument() {
        return new Xml(builder().newDocument());
    }

    Document document() {
        return document;
    }

    /** A new element {@code name} under {@code parent} (the document when {@code parent} is null), with {@code text} if not null. */
    Element add(Element parent, String name, String text) {
        Element e = document.createElement(name);
        if (text != null) {
            e.setTextContent(text);
        }
        if (parent == null) {
            document.appendChild(e);
        } else {
            parent.appendChild(e);
        }
        return e;
    }

    /** {@link #add} with attributes given as name, value, name, value… */
    Element add(Element parent, String name, String text, String... attributes) {
        Element e = add(parent, name, text);
        for (int i = 0; i < attributes.length; i += 2) {
            e.setAttribute(attributes[i], attributes[i + 1]);
        }
        return e;
    }

    String serialize() {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.INDENT, "yes");
            StringWriter out = new StringWriter();
            t.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("the JDK's XML serializer failed on a document it built", e);
        }
    }

    /** Parses {@code xml} namespace-aware; throws {@link IllegalArgumentException} when it is not well-formed. */
    static Document parse(String xml) {
        try {
            return builder().parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // throws on fatal errors, prints nothing to stderr
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }
}
