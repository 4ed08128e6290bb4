package searchmesh.es.analysis;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * {@code edge_ngram} tokenizer: {@code min_gram} (default 1), {@code max_gram} (default 2), {@code token_chars}
 * (letter, digit, whitespace, punctuation, symbol, custom with {@code custom_token_chars}, or any
 * java.lang.Character category such as uppercase_letter; default: every character is a token character).
 * Not limited by {@code index.max_ngram_diff}, as in Elasticsearch.
 */
final class EdgeNGramTokenizerFactory extends AbstractTokenizerFactory {

    private static final Map<String, IntPredicate> CLASSES = new HashMap<>();

    static {
        CLASSES.put("letter", Character::isLetter);
        CLASSES.put("digit", Character::isDigit);
        CLASSES.put("whitespace", Character::isWhitespace);
        CLASSES.put("punctuation", c -> switch (Character.getType(c)) {
            case Character.START_PUNCTUATION, Character.END_PUNCTUATION, Character.OTHER_PUNCTUATION,
                Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                Character.FINAL_QUOTE_PUNCTUATION -> true;
            default -> false;
        });
        CLASSES.put("symbol", c -> switch (Character.getType(c)) {
            case Character.CURRENCY_SYMBOL, Character.MATH_SYMBOL, Character.OTHER_SYMBOL, Character.MODIFIER_SYMBOL -> true;
            default -> false;
        });
        // Unicode general categories by their java.lang.Character constant names (uppercase_letter, ...).
        for (Field field : Character.class.getFields()) {
            if (field.getName().startsWith("DIRECTIONALITY") == false
                && Modifier.isStatic(field.getModifiers())
                && field.getType() == byte.class) {
                try {
                    byte category = field.getByte(null);
                    CLASSES.put(field.getName().toLowerCase(Locale.ROOT), c -> Character.getType(c) == category);
                } catch (IllegalAccessException e) {
                    // public static fields: not reached
                }
            }
        }
    }

    private final int minGram;
    private final int maxGram;
    private final IntPredicate tokenChars;

    EdgeNGramTokenizerFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        super(indexSettings, settings, name);
        this.minGram = settings.getAsInt("min_gram", 1);
        this.maxGram = settings.getAsInt("max_gram", 2);
        this.tokenChars = parseTokenChars(settings);
    }

    /** Null when token_chars is unset or empty: every character belongs to a token. */
    private static IntPredicate parseTokenChars(Settings settings) {
        List<String> classes = settings.getAsList("token_chars");
        if (classes == null || classes.isEmpty()) {
            return null;
        }
        List<IntPredicate> matchers = new ArrayList<>();
        for (String raw : classes) {
            String tokenClass = raw.toLowerCase(Locale.ROOT).trim();
            IntPredicate matcher = CLASSES.get(tokenClass);
            if (matcher == null) {
                if (tokenClass.equals("custom") == false) {
                    Set<String> known = new TreeSet<>(CLASSES.keySet());
                    known.add("custom");
                    throw new IllegalArgumentException("Unknown token type: '" + tokenClass + "', must be one of " + known);
                }
                String custom = settings.get("custom_token_chars");
                if (custom == null) {
                    throw new IllegalArgumentException("Token type: 'custom' requires setting `custom_token_chars`");
                }
                Set<Integer> chars = custom.chars().boxed().collect(Collectors.toSet());
                matcher = chars::contains;
            }
            matchers.add(matcher);
        }
        return c -> {
            for (IntPredicate matcher : matchers) {
                if (matcher.test(c)) {
                    return true;
                }
            }
            return false;
        };
    }

    @Override
    public Tokenizer create() {
        if (tokenChars == null) {
            return new EdgeNGramTokenizer(minGram, maxGram);
        }
        IntPredicate matcher = tokenChars;
        return new EdgeNGramTokenizer(minGram, maxGram) {
            @Override
            protected boolean isTokenChar(int chr) {
                return matcher.test(chr);
            }
        };
    }
}
