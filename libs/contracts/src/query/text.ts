import { Type } from '@sinclair/typebox';

/**
 * Text the query plan hands to a search engine as data. It can never carry Elasticsearch query syntax:
 * no control characters and none of the characters the Lucene query parsers treat as operators
 * (`" * ? ~ ( ) [ ] { } : \ / ^ ! + - & | < > =`). Plan terms are lowercase letters, digits, dots and
 * spaces in practice; the pattern is the contract's guarantee, whatever a later step produces.
 */
export const SAFE_TEXT_PATTERN = '^[^\\u0000-\\u001f\\u007f"*?~()\\[\\]{}:\\\\/^!+\\-&|<>=]+$';
export const SafeText = Type.String({ minLength: 1, maxLength: 200, pattern: SAFE_TEXT_PATTERN });

/** A value compared as a whole (a keyword, e.g. a brand or a category path): no control characters. */
export const KEYWORD_VALUE_PATTERN = '^[^\\u0000-\\u001f\\u007f]+$';
export const KeywordValue = Type.String({ minLength: 1, maxLength: 300, pattern: KEYWORD_VALUE_PATTERN });

/** Text with at least one visible character and no control characters. */
export const VISIBLE_TEXT_PATTERN = '^[^\\u0000-\\u001f\\u007f]*[^\\s\\u0000-\\u001f\\u007f][^\\u0000-\\u001f\\u007f]*$';
