package searchmesh.es.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.tartarus.snowball.ext.EnglishStemmer;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * {@code stemmer}: option {@code language} (or its older name {@code name}), default {@code porter}, matched
 * case-insensitively like Elasticsearch does. Only the English stemmers are provided, mapped to the same Lucene
 * filters as Elasticsearch's StemmerTokenFilterFactory; any other language is rejected when the index (or the
 * _analyze request) is created, instead of silently analysing differently from a full Elasticsearch.
 */
final class StemmerTokenFilterFactory extends AbstractTokenFilterFactory {

    /** Lower-cased language name to filter; aliases as Elasticsearch accepts them. */
    private static final Map<String, UnaryOperator<TokenStream>> STEMMERS = new TreeMap<>();

    static {
        STEMMERS.put("english", PorterStemFilter::new);
        STEMMERS.put("porter", PorterStemFilter::new);
        STEMMERS.put("porter2", in -> new SnowballFilter(in, new EnglishStemmer()));
        for (String alias : new String[] { "light_english", "lightenglish", "kstem" }) {
            STEMMERS.put(alias, KStemFilter::new);
        }
        for (String alias : new String[] { "minimal_english", "minimalenglish" }) {
            STEMMERS.put(alias, EnglishMinimalStemFilter::new);
        }
        for (String alias : new String[] { "possessive_english", "possessiveenglish" }) {
            STEMMERS.put(alias, EnglishPossessiveFilter::new);
        }
    }

    private final UnaryOperator<TokenStream> stemmer;

    StemmerTokenFilterFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        super(name, settings);
        String language = settings.get("language", settings.get("name", "porter"));
        this.stemmer = STEMMERS.get(language.toLowerCase(Locale.ROOT));
        if (stemmer == null) {
            throw new IllegalArgumentException(
                "stemmer ["
                    + name
                    + "]: language ["
                    + language
                    + "] is not available on this local Elasticsearch (the search-mesh-analysis plugin stands in for the"
                    + " analysis-common module and provides only "
                    + STEMMERS.keySet()
                    + "); add it to infra/local/es-analysis-plugin"
            );
        }
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return stemmer.apply(tokenStream);
    }
}
