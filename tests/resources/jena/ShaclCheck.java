// Apache Jena's SHACL validator (Debian's libapache-jena-java) as a third opinion on the
// project's shapes; tests/shacl/jena.py runs it. Validates each data argument against the
// shapes file in one JVM: an argument is one RDF file or several joined by "+" (their union; a
// file named more than once is read once). Prints one tab-separated line per result:
//   argument  severity  focus  path  value  node-shape
// (an IRI as itself, a literal in N-Triples form, a path that is not one IRI and a missing
// value as ""), then "done: <argument> <count>" after each.
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.GraphUtil;
import org.apache.jena.graph.Node;
import org.apache.jena.graph.Triple;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.out.NodeFmtLib;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.sparql.path.P_Link;
import org.apache.jena.sparql.path.Path;

public class ShaclCheck {
    public static void main(String[] args) {
        Graph shapesGraph = RDFDataMgr.loadGraph(args[0]);
        Shapes shapes = Shapes.parse(shapesGraph);
        Map<String, Graph> read = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            Graph data = GraphFactory.createDefaultGraph();
            for (String file : args[i].split("\\+")) {
                GraphUtil.addInto(data, read.computeIfAbsent(file, RDFDataMgr::loadGraph));
            }
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            int count = 0;
            for (ReportEntry entry : report.getEntries()) {
                List<String> fields = new ArrayList<>();
                fields.add(args[i]);
                fields.add(entry.severity().level().getLocalName());
                fields.add(term(entry.focusNode()));
                Path path = entry.resultPath();
                fields.add(path instanceof P_Link ? ((P_Link) path).getNode().getURI() : "");
                fields.add(entry.value() == null ? "" : term(entry.value()));
                fields.add(nodeShape(shapesGraph, entry.source()));
                System.out.println(String.join("\t", fields));
                count++;
            }
            System.out.println("done: " + args[i] + " " + count);
        }
    }

    private static String term(Node node) {
        if (node.isURI()) {
            return node.getURI();
        }
        if (!node.isLiteral()) {
            return NodeFmtLib.strNT(node);
        }
        String lexical = node.getLiteralLexicalForm().replace("\\", "\\\\")
            .replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t");
        String language = node.getLiteralLanguage();
        return "\"" + lexical + "\"" + (language.isEmpty()
            ? "^^<" + node.getLiteralDatatypeURI() + ">" : "@" + language);
    }

    // The named shape a (blank, possibly nested) shape hangs from.
    private static String nodeShape(Graph shapes, Node shape) {
        Node current = shape;
        for (int depth = 0; current != null && current.isBlank() && depth < 10; depth++) {
            List<Triple> parents = shapes.find(Node.ANY, Node.ANY, current).toList();
            current = parents.isEmpty() ? null : parents.get(0).getSubject();
        }
        return current == null ? "" : current.getURI();
    }
}
