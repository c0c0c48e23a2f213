package org.nucleispark.io;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A path template such as {@code {experiment}/{well}_{field}_t{frame}.tif}, matched against a file's
 * path relative to the input root. Placeholders: experiment, well, field, channel (text without
 * '/'), frame (digits); everything else is literal. Text placeholders match as little as possible so
 * that {@code {well}_{field}} splits at the first '_' the rest of the template allows.
 */
public final class FilenamePattern {
    private static final Set<String> TEXT_FIELDS = Set.of("experiment", "well", "field", "channel");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    private final String template;
    private final Pattern regex;
    private final Set<String> fields;

    private FilenamePattern(String template, Pattern regex, Set<String> fields) {
        this.template = template;
        this.regex = regex;
        this.fields = fields;
    }

    /** @throws IllegalArgumentException for an unknown or repeated placeholder, or none at all */
    public static FilenamePattern compile(String template) {
        StringBuilder re = new StringBuilder("^");
        Set<String> fields = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        int last = 0;
        while (m.find()) {
            String name = m.group(1);
            if (!TEXT_FIELDS.contains(name) && !name.equals("frame")) {
                throw new IllegalArgumentException("unknown placeholder {" + name + "} in pattern " + template
                        + "; use {experiment}, {well}, {field}, {channel} and {frame}");
            }
            if (!fields.add(name)) {
                throw new IllegalArgumentException("placeholder {" + name + "} appears twice in pattern " + template);
            }
            re.append(Pattern.quote(template.substring(last, m.start())));
            re.append("(?<").append(name).append(">").append(name.equals("frame") ? "\\d{1,9}" : "[^/]+?").append(")");
            last = m.end();
        }
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("pattern " + template + " has no placeholder such as {frame}");
        }
        re.append(Pattern.quote(template.substring(last))).append("$");
        return new FilenamePattern(template, Pattern.compile(re.toString()), fields);
    }

    /** The fields in a relative path, or empty when the path does not follow the template. */
    public Optional<SequenceFields> match(String relativePath) {
        Matcher m = regex.matcher(relativePath);
        if (!m.matches()) return Optional.empty();
        return Optional.of(new SequenceFields(group(m, "experiment"), group(m, "well"), group(m, "field"),
                group(m, "channel"), fields.contains("frame") ? Integer.valueOf(m.group("frame")) : null));
    }

    private String group(Matcher m, String name) {
        return fields.contains(name) ? m.group(name) : null;
    }

    @Override
    public String toString() {
        return template;
    }
}
