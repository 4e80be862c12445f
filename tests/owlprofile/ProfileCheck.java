// OWL 2 profile check of an ontology file with the OWL API's own profile checkers (OWL2RLProfile,
// OWL2DLProfile...). Run as a single-file Java program (java 11+) against the OWL API jars of Debian's
// libowlapi-java:  java -cp "$(tests/owlprofile/classpath)" tests/owlprofile/ProfileCheck.java RL FILE
// Prints the OWL API version, the profile, then one line per violation; exit 0 when the ontology is in
// the profile, 1 when it is not, 2 when the file cannot be loaded. tests/test_ontology.py runs it.

import java.io.File;
import java.util.List;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.Profiles;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class ProfileCheck {
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ProfileCheck RL|DL|EL|QL|FULL FILE");
            System.exit(2);
        }
        Profiles profile;
        switch (args[0]) {
            case "RL": profile = Profiles.OWL2_RL; break;
            case "DL": profile = Profiles.OWL2_DL; break;
            case "EL": profile = Profiles.OWL2_EL; break;
            case "QL": profile = Profiles.OWL2_QL; break;
            default: profile = Profiles.OWL2_FULL;
        }
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT)
            .setStrict(false);
        OWLOntology ontology;
        try {
            ontology = manager.loadOntologyFromOntologyDocument(new FileDocumentSource(new File(args[1])), config);
        } catch (Exception e) {
            System.err.println(args[1] + ": cannot load: " + e.getMessage());
            System.exit(2);
            return;
        }
        OWLProfileReport report = profile.checkOntology(ontology);
        String version = OWLManager.class.getPackage().getImplementationVersion();
        System.out.println("checker: OWL API " + (version == null ? "(unknown version)" : version) + " " + profile.getName());
        System.out.println("axioms: " + ontology.getAxiomCount());
        List<OWLProfileViolation> violations = report.getViolations();
        for (OWLProfileViolation v : violations) {
            System.out.println("violation: " + v.toString().replace('\n', ' '));
        }
        System.out.println(report.isInProfile() ? "verdict: in profile" : "verdict: NOT in profile (" + violations.size() + " violations)");
        System.exit(report.isInProfile() ? 0 : 1);
    }
}
