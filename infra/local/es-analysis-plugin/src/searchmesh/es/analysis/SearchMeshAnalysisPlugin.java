package searchmesh.es.analysis;

import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.List;
import java.util.Map;

/**
 * Registers, under Elasticsearch's own names and with its own options and defaults, the analysis components
 * our index mapping needs that live in the {@code analysis-common} module, which the integ-test distribution
 * used by infra/local/elasticsearch.sh does not ship. Installed only there: a full distribution has the
 * built-ins, and registering these names next to them would fail the node's start-up (duplicate names).
 *
 * <p>Also the pre-configured forms analysis-common gives these names, used when a bare name (no definition in
 * the index settings) appears in an analyzer: they take precedence over the factories' defaults there, and a
 * bare {@code edge_ngram} filter emits 1-grams only.
 *
 * <p>Not registered because Elasticsearch core already has them: {@code lowercase} (pre-configured),
 * {@code stop}, {@code shingle}, {@code hunspell} token filters and the {@code standard} tokenizer.
 */
public class SearchMeshAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "asciifolding", AsciiFoldingTokenFilterFactory::new,
            "stemmer", StemmerTokenFilterFactory::new,
            "edge_ngram", EdgeNGramTokenFilterFactory::new
        );
    }

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(
            PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new),
            PreConfiguredTokenFilter.singleton("edge_ngram", false, false, input -> new EdgeNGramTokenFilter(input, 1))
        );
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("edge_ngram", EdgeNGramTokenizerFactory::new);
    }
}
